package dev.jbuild.frontend;

import dev.jbuild.platform.Platform;
import java.util.Optional;
import java.util.function.Function;

/**
 * The platform in a step's progress name when several platforms are built, as BuildKit writes it:
 * the platform the stage runs on, then {@code ->arch} (or {@code ->os/arch}) when the stage's
 * TARGET* args say it builds for another, so a builder stage on the build platform that both
 * targets share reads the same for both ({@code [linux/amd64 builder 2/3]}) and its
 * target-specific steps say what they cross-build for ({@code [linux/amd64->arm64 builder 3/3]}).
 */
final class PlatformPrefix {
  private PlatformPrefix() {}

  /** @param env the stage's ENV and ARG values by name (null: not set) */
  static String of(Platform stage, Function<String, String> env) {
    return stage + targetOf(stage, env).map(t -> cross(stage, t)).orElse("");
  }

  /** The platform the TARGET* values name, TARGETPLATFORM first; missing parts are the stage's. */
  private static Optional<Platform> targetOf(Platform stage, Function<String, String> env) {
    String platform = env.apply("TARGETPLATFORM");
    if (platform != null) {
      try {
        return Optional.of(Platform.parse(platform));
      } catch (IllegalArgumentException e) {
        // BuildKit skips a value it cannot parse and looks at the parts
      }
    }
    String os = env.apply("TARGETOS");
    String arch = env.apply("TARGETARCH");
    String variant = env.apply("TARGETVARIANT");
    if (os == null && arch == null && variant == null) {
      return Optional.empty();
    }
    return Optional.of(Platform.normalise(os == null || os.isEmpty() ? stage.os() : os,
        arch == null || arch.isEmpty() ? stage.architecture() : arch, variant));
  }

  private static String cross(Platform stage, Platform target) {
    if (!target.os().equals(stage.os())) {
      return "->" + target;
    }
    if (!target.architecture().equals(stage.architecture())) {
      return "->" + target.architecture() + (target.variant().isEmpty() ? "" : "/" + target.variant());
    }
    return "";
  }
}
