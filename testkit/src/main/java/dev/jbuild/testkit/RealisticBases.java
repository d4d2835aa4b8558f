package dev.jbuild.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The realistic base images of the samples ({@code node:16-alpine}, {@code python:3.11.1-slim},
 * {@code golang:1.15-alpine3.12}, …: Debian bookworm roots for amd64 and arm64, built by
 * {@code scripts/realistic-bases.sh} and cached under the user cache dir) served from a test
 * registry that a jbuild config file names as the mirror of docker.io, so unmodified
 * Dockerfiles resolve their {@code FROM} lines to it.
 */
public final class RealisticBases {
  /** The first build runs mmdebstrap six times; later ones find the cache. */
  private static final long BUILD_TIMEOUT_SECONDS = 3600;

  private RealisticBases() {}

  /** A registry holding the bases as {@code library/NAME:TAG}, and the jbuild config that mirrors docker.io to it. */
  public record Mirror(String hostPort, Path configFile) {}

  /** Builds the bases if needed and copies them (and busybox) into {@code registry}; writes the config to {@code dir}. */
  public static Mirror serve(TestRegistry registry, Path dir) {
    Prerequisites.requireProgram("mmdebstrap", "mmdebstrap");
    Path script = BaseImages.projectRoot().resolve("scripts/realistic-bases.sh");
    Processes.run(List.of("bash", script.toString(), "--push", registry.hostPort()), null, Map.of(),
        BUILD_TIMEOUT_SECONDS).assertSuccess();
    // docker.io's official images live under library/: FROM busybox is docker.io/library/busybox
    String busybox = registry.busybox();
    Processes.run(List.of("skopeo", "copy", "--quiet", "--all", "--src-tls-verify=false", "--dest-tls-verify=false",
        "docker://" + busybox, "docker://" + registry.hostPort() + "/library/busybox:" + BaseImages.tag()))
        .assertSuccess();
    try {
      Path config = Files.createDirectories(dir).resolve("jbuild.toml");
      Files.writeString(config, "[registry.\"docker.io\"]\n  mirrors = [\"" + registry.hostPort() + "\"]\n");
      return new Mirror(registry.hostPort(), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code NAME:TAG} list the script builds. */
  public static List<String> tags() {
    Path script = BaseImages.projectRoot().resolve("scripts/realistic-bases.sh");
    return Processes.run(List.of("bash", script.toString(), "--tags")).assertSuccess().stdout().lines().toList();
  }
}
