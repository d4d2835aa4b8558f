package dev.jbuild.testkit;

import dev.jbuild.platform.Emulation;
import dev.jbuild.platform.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks for the real components the tests use. A missing one fails the test with what to
 * install: tests never skip silently because a component is absent.
 */
public final class Prerequisites {
  private Prerequisites() {}

  /** Fails with an {@link AssertionError} naming the Debian package when a program is missing. */
  public static Path requireProgram(String program, String debianPackage) {
    Path p = findOnPath(program);
    if (p == null) {
      throw new AssertionError("test prerequisite missing: `" + program + "` is not on PATH;"
          + " install it with: apt-get install -y " + debianPackage);
    }
    return p;
  }

  /** The first of several alternatives that exists (e.g. runc or crun). */
  public static Path requireOneOf(String debianPackages, String... programs) {
    for (String prog : programs) {
      Path p = findOnPath(prog);
      if (p != null) {
        return p;
      }
    }
    throw new AssertionError("test prerequisite missing: none of " + String.join(", ", programs)
        + " is on PATH; install one with: apt-get install -y " + debianPackages);
  }

  /** Fails unless processes of {@code platform} can run here (natively or via qemu binfmt). */
  public static void requireEmulation(Platform platform) {
    Emulation emulation = Emulation.system();
    if (!emulation.check(platform).usable()) {
      throw new AssertionError("test prerequisite missing: cannot run " + platform + " binaries: "
          + emulation.remedy(platform) + " (scripts/prereqs.sh does both)");
    }
  }

  public static void requireRoot() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new AssertionError("this test needs root (it mounts overlayfs and runs runc as root)");
    }
  }

  /** Everything the end-to-end tests need, all reported at once. */
  public static void requireBuildEnvironment() {
    List<String> missing = new ArrayList<>();
    for (Runnable check : List.<Runnable>of(
        () -> requireOneOf("runc", "runc", "crun"),
        () -> requireProgram("docker-registry", "docker-registry"),
        () -> requireProgram("skopeo", "skopeo"),
        () -> requireProgram("umoci", "umoci"),
        () -> requireEmulation(Platform.LINUX_ARM64))) {
      try {
        check.run();
      } catch (AssertionError e) {
        missing.add(e.getMessage());
      }
    }
    if (!missing.isEmpty()) {
      throw new AssertionError(String.join("\n", missing));
    }
  }

  static Path findOnPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
