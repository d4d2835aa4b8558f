package dev.jbuild.testkit;

import dev.jbuild.platform.Platform;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A busybox root filesystem directory for one platform (bin/busybox with its applets, /etc/passwd,
 * /etc/group), built from Debian's busybox-static package of that architecture by
 * {@code scripts/busybox-rootfs.sh} and cached under the user cache dir. For the platforms the
 * two-platform base image does not cover: linux/arm/v7, linux/386, linux/ppc64le, linux/s390x.
 * Debian bookworm has no riscv64 architecture, so there is none for linux/riscv64.
 */
public final class BusyboxRootfs {
  private static final Map<Platform, Path> BUILT = new ConcurrentHashMap<>();

  private BusyboxRootfs() {}

  /** The directory (owned by root); builds it on first use. */
  public static Path of(Platform platform) {
    return BUILT.computeIfAbsent(platform, p -> {
      Processes.Result r = Processes.run(List.of("bash",
          BaseImages.projectRoot().resolve("scripts/busybox-rootfs.sh").toString(), debianArchitecture(p)), null,
          Map.of(), 600).assertSuccess();
      return Path.of(r.stdout().strip());
    });
  }

  /** Debian's name for a platform's architecture (armhf is arm/v7, ppc64el is ppc64le). */
  public static String debianArchitecture(Platform p) {
    return switch (p.architecture()) {
      case "amd64", "arm64", "s390x", "riscv64" -> p.architecture();
      case "arm" -> p.variant().equals("v7") || p.variant().isEmpty() ? "armhf" : "armel";
      case "386" -> "i386";
      case "ppc64le" -> "ppc64el";
      default -> throw new IllegalArgumentException("no Debian architecture for " + p);
    };
  }

  /** What {@code uname -m} prints for a platform's programs on an amd64 host. */
  public static String unameMachine(Platform p) {
    return switch (p.architecture()) {
      case "amd64" -> "x86_64";
      case "arm64" -> "aarch64";
      case "arm" -> "armv7l";
      case "386" -> "i686";
      default -> p.architecture();
    };
  }
}
