package dev.jbuild.solver;

import dev.jbuild.nativeexec.MountedRoot;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * COPY and ADD: keyed by the content of exactly the context files selected (or the source
 * stage's key); executed with Dockerfile COPY semantics onto the destination's filesystem.
 */
final class CopyHandler implements OpHandler {
  private final Op.Copy copy;

  CopyHandler(Op.Copy copy) {
    this.copy = copy;
  }

  @Override
  public Map<String, Object> cacheMap(KeyInputs keys)
      throws java.io.IOException, InterruptedException, SourceSelection.SourceNotFoundException {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("op", "copy");
    d.put("dest", keys.of(copy.dest()).toString());
    if (copy.source() instanceof Op.CopySource.Context ctx) {
      d.put("source", Map.of("context", keys.localContent(ctx.dir(), copy.sources(), ctx.filter()).toString()));
    } else if (copy.source() instanceof Op.CopySource.State st) {
      d.put("source", Map.of("state", keys.of(st.vertex()).toString()));
    }
    d.put("sources", copy.sources());
    d.put("destination", copy.destination());
    copy.chown().ifPresent(o -> d.put("chown", o));
    copy.chmod().ifPresent(m -> d.put("chmod", m));
    d.put("unpack", copy.unpackArchives());
    if (!copy.exclude().patterns().isEmpty()) { // absent otherwise, so existing keys stay as they were
      d.put("exclude", copy.exclude().patterns());
    }
    if (copy.keepParents()) {
      d.put("parents", true);
    }
    return d;
  }

  @Override
  public FsState exec(List<FsState> inputs, StepContext step) throws Exception {
    SnapshotStore snapshots = step.worker().snapshots;
    if (copy.source() instanceof Op.CopySource.Context ctx) {
      return snapshots.mutate(inputs.get(0),
          (root, upper) -> copier(root).copyDeferring(ctx.dir(), ctx.filter(), copy.sources(), root, upper, copy.destination()));
    }
    try (MountedRoot from = snapshots.view(inputs.get(1))) {
      Path src = from.path();
      return snapshots.mutate(inputs.get(0),
          (root, upper) -> copier(root).copyDeferring(src, PathFilter.NONE, copy.sources(), root, upper, copy.destination()));
    }
  }

  /** --chown names are looked up in the destination's own /etc/passwd and /etc/group. */
  private FileCopier copier(Path destRoot) throws Exception {
    Optional<Op.Ownership> owner = Optional.empty();
    if (copy.chown().isPresent()) {
      owner = Optional.of(Users.resolveChown(destRoot, copy.chown().get()));
    }
    return new FileCopier(owner, copy.chmod(), copy.unpackArchives(), copy.exclude().filter(), copy.keepParents());
  }
}
