package dev.jbuild.solver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Here-document files of COPY/ADD: a filesystem holding just them (mode 0644, mtime 0). */
final class InlineHandler implements OpHandler {
  private final Op.Inline inline;

  InlineHandler(Op.Inline inline) {
    this.inline = inline;
  }

  @Override
  public Map<String, Object> cacheMap(KeyInputs keys) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("op", "inline");
    d.put("files", inline.files().stream().map(f -> List.of(f.name(), f.content())).toList());
    return d;
  }

  @Override
  public FsState exec(List<FsState> inputs, StepContext step) throws Exception {
    return step.worker().snapshots.mutate(FsState.EMPTY, false, root -> {
      for (Op.InlineFile f : inline.files()) {
        Path file = root.resolve(f.name());
        Files.writeString(file, f.content(), StandardCharsets.UTF_8);
        FileModes.set(file, 0644, Op.Ownership.ROOT);
        Files.setLastModifiedTime(file, FileTime.from(Instant.EPOCH));
      }
      return Set.of();
    });
  }
}
