package dev.jbuild.samples;

import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.BusyboxRootfs;
import dev.jbuild.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Build contexts holding a busybox root filesystem, for Dockerfiles that start {@code FROM scratch}. */
final class BusyboxContexts {
  private BusyboxContexts() {}

  /** Creates {@code dir} with the platform's busybox root at {@code dir/<name>/}. */
  static Path withRootfs(Path dir, Platform platform, String name) throws Exception {
    Files.createDirectories(dir.resolve(name));
    Processes.run(List.of("cp", "-a", BusyboxRootfs.of(platform) + "/.", dir.resolve(name) + "/")).assertSuccess();
    return dir;
  }
}
