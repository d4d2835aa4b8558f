package dev.jbuild.bench.nativeexec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The amd64 busybox root built by scripts/busybox-rootfs.sh (cached), used as an overlay lower dir. */
final class BusyboxRoot {
  private BusyboxRoot() {}

  static Path amd64() throws IOException, InterruptedException {
    Path script = projectRoot().resolve("scripts/busybox-rootfs.sh");
    Process p = new ProcessBuilder("bash", script.toString(), "amd64").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0) {
      throw new IOException("scripts/busybox-rootfs.sh amd64 failed");
    }
    return Path.of(out);
  }

  private static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("scripts/busybox-rootfs.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("run the benchmarks from the repository (no scripts/busybox-rootfs.sh above "
          + Path.of("").toAbsolutePath() + ")");
    }
    return p;
  }
}
