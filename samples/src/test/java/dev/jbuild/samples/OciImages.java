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

  /** The archive unpacked into a new directory under {@code work}, and its single image's manifest. */
  private record Unpacked(Path layout, JsonNode manifest) {}

  private static Unpacked unpack(Path archive, Path work) throws Exception {
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
    return new Unpacked(out, manifest);
  }

  static Image open(Path archive, Path work) throws Exception {
    Unpacked u = unpack(archive, work);
    Path out = u.layout();
    JsonNode manifest = u.manifest();
    JsonNode config = JSON.readTree(blob(out, manifest.get("config").get("digest").asText()).toFile());
    Path rootfs = Files.createDirectories(out.resolve("rootfs"));
    for (JsonNode layer : manifest.get("layers")) {
      // GNU tar applies the layers in order; whiteouts do not occur in these tests
      Processes.run(List.of("tar", "-xzf", blob(out, layer.get("digest").asText()).toString(), "-C", rootfs.toString()))
          .assertSuccess();
    }
    return new Image(config, rootfs);
  }

  /** The entry names of each layer of the archive's single image, in order (one name a line, as tar lists them). */
  static List<String> layerListings(Path archive, Path work) throws Exception {
    Unpacked u = unpack(archive, work);
    List<String> listings = new java.util.ArrayList<>();
    for (JsonNode layer : u.manifest().get("layers")) {
      Processes.Result r = Processes.run(List.of("tar", "-tzf", blob(u.layout(), layer.get("digest").asText()).toString()));
      r.assertSuccess();
      listings.add(r.stdout());
    }
    return listings;
  }

  /** The layer blobs (gzip tars) of the archive's single image, in order, unpacked under {@code work}. */
  static List<Path> layerBlobs(Path archive, Path work) throws Exception {
    Unpacked u = unpack(archive, work);
    List<Path> blobs = new java.util.ArrayList<>();
    for (JsonNode layer : u.manifest().get("layers")) {
      blobs.add(blob(u.layout(), layer.get("digest").asText()));
    }
    return blobs;
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs/sha256/" + digest.substring("sha256:".length()));
  }
}
