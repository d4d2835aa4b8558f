package dev.jbuild.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.platform.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The busybox base image for linux/amd64 and linux/arm64, built from Debian's busybox-static
 * packages by {@code scripts/base-images.sh} (cached between runs under the user cache dir).
 */
public final class BaseImages {
  private static Path layout;

  private BaseImages() {}

  /** The repository's root (the directory holding {@code scripts/}). */
  public static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("scripts/base-images.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new AssertionError("cannot find scripts/base-images.sh above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /** The OCI image layout holding the two-platform busybox index, tagged with {@link #tag()}. */
  public static synchronized Path ociLayout() {
    if (layout == null) {
      Processes.Result r = Processes.run(List.of("bash", projectRoot().resolve("scripts/base-images.sh").toString()))
          .assertSuccess();
      layout = Path.of(r.stdout().strip());
    }
    return layout;
  }

  /** The tag of the image in the layout, e.g. {@code 1.35}. */
  public static String tag() {
    JsonNode top = readJson(ociLayout().resolve("index.json"));
    return top.get("manifests").get(0).get("annotations").get("org.opencontainers.image.ref.name").asText();
  }

  /** Copies the image into a registry as {@code busybox:<tag>} and {@code busybox:latest}. */
  public static void pushTo(String hostPort) {
    Processes.run(List.of("bash", projectRoot().resolve("scripts/base-images.sh").toString(), "--push", hostPort))
        .assertSuccess();
  }

  /** The gzip-compressed rootfs layer of the image for {@code platform} (amd64 or arm64). */
  public static Path layer(Platform platform) {
    Path blobs = ociLayout().resolve("blobs/sha256");
    JsonNode top = readJson(ociLayout().resolve("index.json"));
    JsonNode index = readJson(blobs.resolve(top.get("manifests").get(0).get("digest").asText().substring(7)));
    for (JsonNode m : index.get("manifests")) {
      if (m.get("platform").get("architecture").asText().equals(platform.architecture())) {
        JsonNode manifest = readJson(blobs.resolve(m.get("digest").asText().substring(7)));
        return blobs.resolve(manifest.get("layers").get(0).get("digest").asText().substring(7));
      }
    }
    throw new AssertionError("the busybox base image has no " + platform + " variant");
  }

  private static JsonNode readJson(Path p) {
    try {
      return new ObjectMapper().readTree(Files.readAllBytes(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, String> env() {
    return Map.of();
  }
}
