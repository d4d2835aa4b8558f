package dev.jbuild.nativeexec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a minimal single-platform OCI image layout with uncompressed layers, for umoci. */
final class OciLayouts {
  private OciLayouts() {}

  static Path write(Path dir, String tag, List<byte[]> layers) throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    List<String> layerDescriptors = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    for (byte[] l : layers) {
      String digest = blob(dir, l);
      diffIds.add("\"sha256:" + digest + "\"");
      layerDescriptors.add(descriptor("application/vnd.oci.image.layer.v1.tar", digest, l.length));
    }
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + String.join(",", diffIds) + "]}}")
        .getBytes(StandardCharsets.UTF_8);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", blob(dir, config), config.length)
        + ",\"layers\":[" + String.join(",", layerDescriptors) + "]}").getBytes(StandardCharsets.UTF_8);
    String manifestDigest = blob(dir, manifest);
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + manifestDigest + "\",\"size\":"
        + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
    return dir;
  }

  private static String blob(Path dir, byte[] data) throws IOException {
    String digest = Fixtures.sha256(data);
    Files.write(dir.resolve("blobs/sha256").resolve(digest), data);
    return digest;
  }

  private static String descriptor(String mediaType, String digest, long size) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"sha256:" + digest + "\",\"size\":" + size + "}";
  }
}
