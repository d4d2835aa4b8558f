package dev.jbuild.solver;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** WORKDIR's directory: created with parents if missing, owned by the op's user. */
final class MkdirHandler implements OpHandler {
  private final Op.Mkdir mkdir;

  MkdirHandler(Op.Mkdir mkdir) {
    this.mkdir = mkdir;
  }

  @Override
  public Map<String, Object> cacheMap(KeyInputs keys)
      throws java.io.IOException, InterruptedException, SourceSelection.SourceNotFoundException {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("op", "mkdir");
    d.put("root", keys.of(mkdir.root()).toString());
    d.put("path", mkdir.path());
    d.put("mode", mkdir.mode());
    d.put("user", mkdir.user());
    return d;
  }

  @Override
  public FsState exec(List<FsState> inputs, StepContext step) throws Exception {
    return step.worker().snapshots.mutate(inputs.get(0), false, root -> {
      Users.Resolved u = Users.resolve(root, mkdir.user());
      RootPath.mkdirs(root, mkdir.path(), mkdir.mode(), new Op.Ownership(u.uid(), u.gid()));
      return Set.of();
    });
  }
}
