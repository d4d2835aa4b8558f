package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.MainRuns.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Misuse of the command line names the flag, exits non-zero and never prints a stack trace. */
class CliUsageTest {
  @TempDir Path context;

  private Run run(String... args) {
    return MainRuns.run(args);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "build --platform linux/ --progress=quiet CTX | --platform: invalid platform \"linux/\"",
      "build --output type=cacheonly CTX | --output type=cacheonly is not supported by jbuild yet",
      "build --output type=docker CTX | --output type=docker needs dest=FILE.tar",
      "build --output type=oci CTX | --output type=oci needs dest=FILE.tar",
      "build --push CTX | pushing needs an image name: add -t/--tag NAME",
      "build --progress=fancy CTX | --progress=fancy: expected auto, plain, tty, quiet or rawjson",
      "build --label novalue CTX | --label novalue: expected KEY=VALUE",
      "build -t 'UPPER/Case' --push CTX | invalid tag \"UPPER/Case\"",
      "build CTX/missing | unable to prepare context: path",
      "build --progress=quiet CTX | failed to read the Dockerfile",
  })
  void misuseIsExplained(String args, String expected) throws Exception {
    Files.deleteIfExists(context.resolve("Dockerfile"));
    String[] argv = args.replace("CTX", context.toString()).replace("'", "").split(" ");
    Run r = run(argv);
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().startsWith("ERROR: "), r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void unknownFlagsAreUsageErrors() {
    Run r = run("build", "--frobnicate", context.toString());
    assertEquals(1, r.code());
    assertEquals("ERROR: unknown flag: --frobnicate\nSee 'jbuild build --help'.\n", r.err());
  }

  @Test
  void aDockerfileSyntaxErrorIsRenderedWithItsLine() throws Exception {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPPY a b\n");
    Run r = run("build", "--progress=quiet", context.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("ERROR: Dockerfile:2:1: "), r.err());
    assertTrue(r.err().contains(" 2 | COPPY a b"), r.err());
    assertTrue(r.err().contains("did you mean COPY?"), r.err());
  }

  @Test
  void checkReportsLintWarningsAndFailsOnThem() throws Exception {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCMD echo hi\n");
    Run r = run("build", "--check", context.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("WARNING: Dockerfile:2:1: JSONArgsRecommended: JSON arguments recommended for CMD"), r.err());
    assertTrue(r.err().contains("Check complete, 1 warning has been found!"), r.err());

    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCMD [\"echo\", \"hi\"]\n");
    Run clean = run("build", "--check", context.toString());
    assertEquals(0, clean.code(), clean.err());
    assertTrue(clean.err().contains("Check complete, no warnings found."), clean.err());

    // the build arg overrides the file's # check= directive
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCMD echo hi\n");
    Run skipped = run("build", "--check", "--build-arg", "BUILDKIT_DOCKERFILE_CHECK=skip=JSONArgsRecommended", context.toString());
    assertEquals(0, skipped.code(), skipped.err());
  }

  @Test
  void checkErrorTrueFailsTheBuildBeforeAnyWork() throws Exception {
    Files.writeString(context.resolve("Dockerfile"), "# check=error=true\nFROM scratch\nMAINTAINER someone\n");
    Run r = run("build", "--progress=quiet", context.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("ERROR: Dockerfile:3:1: lint violation found for rules: MaintainerDeprecated"), r.err());
  }
}
