package dev.jbuild.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jbuild.exporters.ExportResult;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code --iidfile} and {@code --metadata-file}, written after a successful build, as buildx
 * writes them: the iid file holds the config digest of a single-platform image (Docker's image
 * id) or else the index digest; the metadata file is a JSON object with sorted keys and two-space
 * indentation ({@code containerimage.config.digest}, {@code containerimage.descriptor},
 * {@code containerimage.digest}, {@code image.name}) describing the first image output.
 */
final class ResultFiles {
  /**
   * Go's json.MarshalIndent(v, "", "  "): {@code "key": value}, maps sorted. In a holder: every
   * build runs {@link #write}, and an ObjectMapper costs ≈ 30 ms the first time (see JsonTrees).
   */
  private static final class GoStyle {
    static final ObjectMapper MAPPER = Json.MAPPER.copy()
        .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
        .setDefaultPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));
  }

  private ResultFiles() {}

  static void write(Path iidFile, Path metadataFile, BuildRunner.Outcome outcome) throws UserError {
    Optional<ExportResult> image = outcome.exports().stream().filter(e -> e.root().isPresent()).findFirst();
    if (iidFile != null) {
      atomicWrite(iidFile, imageId(outcome, image).getBytes(StandardCharsets.UTF_8), "--iidfile");
    }
    if (metadataFile != null) {
      atomicWrite(metadataFile, metadata(image), "--metadata-file");
    }
  }

  private static String imageId(BuildRunner.Outcome outcome, Optional<ExportResult> image) throws UserError {
    if (image.isPresent()) {
      return image.get().configDigest().orElse(image.get().root().orElseThrow().digestValue()).toString();
    }
    if (outcome.images().size() == 1) {
      return Digest.sha256(outcome.images().get(0).config().toBytes()).toString();
    }
    return outcome.rootDigest();
  }

  static byte[] metadata(Optional<ExportResult> image) throws UserError {
    Map<String, Object> meta = new TreeMap<>();
    if (image.isPresent()) {
      ExportResult r = image.get();
      r.configDigest().ifPresent(d -> meta.put("containerimage.config.digest", d.toString()));
      Descriptor d = r.reportedDescriptor().orElseThrow();
      meta.put("containerimage.descriptor", GoStyle.MAPPER.convertValue(d, TreeMap.class));
      meta.put("containerimage.digest", d.digest());
      if (!r.names().isEmpty()) {
        meta.put("image.name", String.join(",", r.names()));
      }
    }
    try {
      return GoStyle.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta);
    } catch (IOException e) {
      throw new UserError("cannot encode the build metadata: " + e.getMessage(), e);
    }
  }

  private static void atomicWrite(Path file, byte[] bytes, String flag) throws UserError {
    try {
      Path abs = file.toAbsolutePath();
      Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
      try {
        Files.write(tmp, bytes);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UserError(flag + ": cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
