package dev.jbuild.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a single-platform image back from an OCI archive with GNU tar: config and unpacked rootfs. */
final class OciImages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OciImages() {}

  record Image(JsonNode config, Path rootfs) {}

  static Image open(Path archive, Path work) throws Exception {
    Path out = Files.createDirectories(work.resolve("oci-" + System.nanoTime()));
    Processes.run(List.of("tar", "-xf", archive.toString(), "-C", out.toString())).assertSuccess();
    JsonNode index = JSON.readTree(out.resolve("index.json").toFile());
    JsonNode manifest = JSON.readTree(blob(out, index.get("manifests").get(0).get("digest").asText()).toFile());
    if (manifest.has("manifests")) { // an index (attestations make even one platform one): its image, not the attestation
      for (JsonNode m : manifest.get("manifests")) {
        if (!m.path("platform").path("os").asText().equals("unknown")) {
          manifest = JSON.readTree(blob(out, m.get("digest").asText()).toFile());
          break;
        }
      }
    }
    JsonNode config = JSON.readTree(blob(out, manifest.get("config").get("digest").asText()).toFile());
    Path rootfs = Files.createDirectories(out.resolve("rootfs"));
    for (JsonNode layer : manifest.get("layers")) {
      // GNU tar applies the layers in order; whiteouts do not occur in these tests
      Processes.run(List.of("tar", "-xzf", blob(out, layer.get("digest").asText()).toString(), "-C", rootfs.toString()))
          .assertSuccess();
    }
    return new Image(config, rootfs);
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs/sha256/" + digest.substring("sha256:".length()));
  }
}
