package dev.jbuild.cli;

import dev.jbuild.exporters.ExportResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --iidfile} and {@code --metadata-file}, written after a successful build. */
final class ResultFiles {
  private ResultFiles() {}

  static void write(Path iidFile, Path metadataFile, BuildRunner.Outcome outcome) throws UserError {
    Path current = iidFile;
    try {
      if (iidFile != null) {
        Files.writeString(iidFile, outcome.rootDigest());
      }
      current = metadataFile;
      if (metadataFile != null) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("containerimage.digest", outcome.rootDigest());
        List<String> names = outcome.exports().stream().flatMap(e -> e.names().stream()).toList();
        if (!names.isEmpty()) {
          meta.put("image.name", String.join(",", names));
        }
        if (!outcome.exports().isEmpty()) {
          ExportResult first = outcome.exports().get(0);
          meta.put("containerimage.descriptor", first.root());
        }
        Files.write(metadataFile, dev.jbuild.oci.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
      }
    } catch (IOException e) {
      throw new UserError("cannot write " + current + ": " + e.getMessage(), e);
    }
  }
}
