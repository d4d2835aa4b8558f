package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of failure gives one paragraph for people (located in the Dockerfile where it
 * applies), a non-zero exit code and no stack trace.
 */
@ExtendWith(RegistryExtension.class)
class BuildErrorsTest {
  @TempDir Path dir;
  @TempDir static Path store;

  @BeforeAll
  static void environment() {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
  }

  private Processes.Result build(String dockerfile, String... platformArgs) throws Exception {
    Files.writeString(dir.resolve("Dockerfile"), dockerfile);
    String[] args = new String[platformArgs.length + 3];
    args[0] = "build";
    args[1] = "--progress=plain";
    System.arraycopy(platformArgs, 0, args, 2, platformArgs.length);
    args[args.length - 1] = dir.toString();
    Processes.Result r = Cli.jbuild(store, args);
    assertNotEquals(0, r.exitCode(), r.describe("unexpectedly succeeded"));
    Cli.assertNoStackTrace(r);
    return r;
  }

  @Test
  void syntaxErrorIsLocatedWithALineAndACaret(TestRegistry registry) throws Exception {
    Processes.Result r = build("FROM " + registry.busybox() + "\nRUNN echo hi\n");
    assertEquals(1, r.exitCode());
    assertTrue(r.stderr().contains("Dockerfile:2:1:"), r.stderr());
    assertTrue(r.stderr().contains("RUNN echo hi"), r.stderr());
    assertTrue(r.stderr().contains("^"), r.stderr());
    assertTrue(r.stderr().contains("did you mean RUN"), r.stderr());
  }

  @Test
  void failingRunReportsTheCommandAndItsExitCode(TestRegistry registry) throws Exception {
    Processes.Result r = build("FROM " + registry.busybox() + "\nRUN echo about to fail && exit 3\n");
    String err = r.stderr();
    assertTrue(err.contains("ERROR: Dockerfile:2:1: RUN echo about to fail && exit 3"), err);
    assertTrue(err.contains("/bin/sh -c echo about to fail && exit 3"), err);
    assertTrue(err.contains("exit code: 3"), err);
    assertTrue(err.contains("about to fail"), "the command's last output is shown:\n" + err);
  }

  @Test
  void missingBaseImageNamesTheImage(TestRegistry registry) throws Exception {
    Processes.Result r = build("FROM " + registry.hostPort() + "/does-not-exist:1\nRUN true\n");
    String err = r.stderr();
    assertTrue(err.contains("Dockerfile:1:1:"), err);
    assertTrue(err.contains(registry.hostPort() + "/does-not-exist:1"), err);
    assertTrue(err.toLowerCase(java.util.Locale.ROOT).contains("not found"), err);
  }

  @Test
  void missingEmulationSaysWhatToInstall(TestRegistry registry) throws Exception {
    Path handler = Path.of("/proc/sys/fs/binfmt_misc/qemu-aarch64");
    assertTrue(Files.isRegularFile(handler), "qemu-aarch64 must be registered before this test");
    Files.writeString(handler, "0");
    try {
      Processes.Result r = build("FROM " + registry.busybox() + "\nRUN uname -m\n", "--platform", "linux/arm64");
      String err = r.stderr();
      assertTrue(err.contains("linux/arm64"), err);
      assertTrue(err.contains("qemu-aarch64") && err.contains("disabled"), err);
    } finally {
      Files.writeString(handler, "1");
    }
  }
}
