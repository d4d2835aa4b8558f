package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --target} that names no stage fails the build (and {@code --check}) as BuildKit does, with
 * exit 1, whatever the Dockerfile's shape; BuildKit 20.10 (the peer dockerd) says "target stage 0
 * could not be found" for an index too, so an index is no target.
 */
class TargetStageTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "FROM scratch\\nCOPY a /a | nope | (no stage is named) | FROM scratch",
      "FROM scratch\\nCOPY a /a | 0 | (no stage is named) | FROM scratch",
      "FROM 127.0.0.1:1/busybox\\nRUN true | nope | (no stage is named) | FROM 127.0.0.1:1/busybox",
      "FROM 127.0.0.1:1/busybox AS build\\nRUN true\\nFROM scratch\\nCOPY --from=build /bin /bin | nope | (stages: build) | FROM 127.0.0.1:1/busybox AS build",
  })
  void aTargetThatNamesNoStageFails(String dockerfile, String target, String stages, String text) throws Exception {
    Path ctx = Files.createDirectories(dir.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), dockerfile.replace("\\n", "\n") + "\n");
    Files.writeString(ctx.resolve("a"), "a\n");
    String expected = "ERROR: Dockerfile:1:1: target stage \"" + target + "\" could not be found " + stages + "\n"
        + " 1 | " + text + "\n"
        + "   | " + "^".repeat(text.length()) + "\n";
    for (String[] mode : new String[][] {{"build", "--progress=plain"}, {"build", "--check"}}) {
      Processes.Result r = Cli.jbuild(dir.resolve("store"), mode[0], mode[1], "--target", target, ctx.toString());
      assertEquals(1, r.exitCode(), r.stderr());
      assertEquals(expected, r.stderr(), String.join(" ", mode));
      assertEquals("", r.stdout());
      Cli.assertNoStackTrace(r);
    }
  }
}
