package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-RUN overhead of `true` (mount, runtime, unmount), median of 20 after warm-up, per runtime. */
class RunOverheadTest {
  static final int RUNS = 20;

  @TempDir
  Path tmp;

  @Test
  void medianOverheadOfRunningTrue() throws Exception {
    Prerequisites.requireRoot();
    Path lower = Fixtures.busyboxLower(Platform.LINUX_AMD64, tmp);
    for (String runtime : List.of("runc", "crun")) {
      OciRuntimeExecutor executor = OciRuntimeExecutor.detect(Optional.of(runtime));
      List<Long> micros = new ArrayList<>();
      for (int i = 0; i < RUNS + 3; i++) {
        Path d = Files.createTempDirectory(tmp, runtime);
        long start = System.nanoTime();
        try (MountedRoot root = new OverlaySnapshotter().mount(List.of(lower), Files.createDirectory(d.resolve("u")),
            Files.createDirectory(d.resolve("w")), Files.createDirectory(d.resolve("r")))) {
          assertEquals(0, executor.run(new Runs().spec(root.path(), List.of("true"), NetworkMode.HOST, List.of())).exitCode());
        }
        if (i >= 3) {
          micros.add((System.nanoTime() - start) / 1000);
        }
      }
      micros.sort(null);
      long median = micros.get(RUNS / 2);
      System.out.printf("%s: median %.1f ms per RUN of `true` (min %.1f, max %.1f)%n", runtime, median / 1000.0,
          micros.get(0) / 1000.0, micros.get(RUNS - 1) / 1000.0);
      assertTrue(median < 2_000_000, runtime + " takes " + median + " µs per run");
    }
  }
}
