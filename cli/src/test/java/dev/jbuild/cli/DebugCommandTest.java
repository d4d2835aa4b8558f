package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.MainRuns.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code jbuild debug …}: exact stdout on success; {@code ERROR: …}, exit 1, no stack trace otherwise. */
class DebugCommandTest {
  @TempDir Path dir;

  private static Run run(String... args) {
    return MainRuns.run(args);
  }

  private static void assertFailure(Run r, String expected) {
    assertEquals(1, r.code(), r.err());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("ERROR: "), r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void parsePrintsTheDump() throws Exception {
    Path file = dir.resolve("Dockerfile");
    Files.writeString(file, "FROM alpine AS build\nCOPY --from=x a b\nENV A=1\nONBUILD RUN make\n");
    Run r = run("debug", "parse", file.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("(from \"alpine\" \"AS\" \"build\")\n(copy [\"--from=x\"] \"a\" \"b\")\n(env \"A\" \"1\" \"=\")\n"
        + "(onbuild (run \"make\"))\n", r.out());
  }

  @Test
  void parseWithHeredocBodies() throws Exception {
    Path file = dir.resolve("Dockerfile");
    Files.writeString(file, "FROM a\nRUN <<EOF\necho hi\nEOF\n");
    assertEquals("(from \"a\")\n(run \"<<EOF\")\n", run("debug", "parse", file.toString()).out());
    assertEquals("(from \"a\")\n(run \"<<EOF\")\n(heredoc \"EOF\" \"echo hi\\n\")\n",
        run("debug", "parse", "--heredocs", file.toString()).out());
  }

  @Test
  void parseErrorIsRenderedWithTheLine() throws Exception {
    Path file = dir.resolve("Dockerfile");
    Files.writeString(file, "FROM a\nENV A\n");
    Run r = run("debug", "parse", file.toString());
    assertFailure(r, file + ":2:1: ENV must have two arguments");
    assertTrue(r.err().contains(" 2 | ENV A\n"), r.err());
    assertTrue(r.err().contains("^^^^^"), r.err());
  }

  /** As BuildKit's parser: no stage, unknown instruction or unknown flag is an error at this level. */
  @Test
  void parseChecksNoSemantics() throws Exception {
    Path file = dir.resolve("Dockerfile");
    Files.writeString(file, "RUN x\nCOPPY a b\nCOPY --nope a\n");
    Run r = run("debug", "parse", file.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("(run \"x\")\n(coppy \"\")\n(copy [\"--nope\"] \"a\")\n", r.out());
  }

  /** What the parser level accepts, build refuses at the typed level, located in the file. */
  @ParameterizedTest
  @MethodSource("typedLevelErrors")
  void buildReportsWhatParseAccepts(String dockerfile, String error) throws Exception {
    Path context = Files.createDirectories(dir.resolve("ctx"));
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    assertEquals(0, run("debug", "parse", context.resolve("Dockerfile").toString()).code());
    Run r = run("build", "--progress=quiet", context.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().startsWith("ERROR: " + error), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  static Stream<Arguments> typedLevelErrors() {
    return Stream.of(
        Arguments.of("RUN x\nFROM scratch\n", "Dockerfile:1:1: no build stage in current context"),
        Arguments.of("FROM scratch\nCOPY --nope a b\n", "Dockerfile:2:6: unknown flag: nope"),
        Arguments.of("FROM scratch\nCOPY onlyone\n", "Dockerfile:2:6: COPY requires at least two arguments"),
        Arguments.of("FROM scratch\nHEALTHCHECK --interval=5 CMD x\n",
            "Dockerfile:2:13: invalid duration \"5\" for --interval: missing unit"));
  }

  @Test
  void parseOfAMissingFile() {
    assertFailure(run("debug", "parse", dir.resolve("nope").toString()), "no such file");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "$A|1",
      "${A}-${B:-dflt}|1-dflt",
      "\"$A $C\"|1 two words",
      "${C%% *}|two",
      "${C/two/2}|2 words",
      "a\\ b|a b",
  })
  void expand(String word, String expected) {
    Run r = run("debug", "expand", "--env", "A=1", "--env", "C=two words", word);
    assertEquals(0, r.code(), r.err());
    assertEquals(expected + "\n", r.out());
  }

  @Test
  void singleQuotesAreLiteral() {
    assertEquals("$A\n", run("debug", "expand", "--env", "A=1", "'$A'").out());
  }

  @Test
  void expandErrors() {
    assertFailure(run("debug", "expand", "${X:?must be set}"), "X: must be set");
    assertFailure(run("debug", "expand", "${X"), "syntax error: missing '}'");
    assertFailure(run("debug", "expand", "--env", "novalue", "$X"), "--env novalue: expected K=V");
    assertFailure(run("debug", "expand", "--escape", "x", "$X"), "--escape: expected");
  }

  @Test
  void windowsNamesAreCaseInsensitive() {
    assertEquals("\n", run("debug", "expand", "--env", "Path=C:\\x", "$PATH").out());
    assertEquals("C:\\x\n", run("debug", "expand", "--windows", "--env", "Path=C:\\x", "$PATH").out());
    assertEquals("2\n", run("debug", "expand", "--windows", "--env", "a=1", "--env", "A=2", "$a").out());
  }

  @Test
  void backtickEscape() {
    assertEquals("a b$\n", run("debug", "expand", "--escape", "`", "a` b`$").out());
  }

  @Test
  void words() {
    Run r = run("debug", "words", "--env", "V=x y", "a $V \"b c\" ''");
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("a", "x", "y", "b c"), lines(r.out()));
    assertFailure(run("debug", "words", "'open"), "unexpected end of statement");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "*.md|README.md|true",
      "*.md|docs/README.md|false",
      "**/*.md|docs/README.md|true",
      "build|build/out/x|true",
      "!keep.md,*.md|keep.md|true",
      "*.md,!keep.md|keep.md|false",
      "/tmp|tmp|true",
      "[a-c]?.txt|b1.txt|true",
  })
  void ignoreMatch(String patterns, String path, String expected) {
    List<String> args = new ArrayList<>(List.of("debug", "ignore-match"));
    for (String p : patterns.split(",")) {
      args.add("--pattern");
      args.add(p);
    }
    args.add(path);
    Run r = run(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertEquals(expected + "\n", r.out());
  }

  @Test
  void badIgnorePattern() {
    assertFailure(run("debug", "ignore-match", "--pattern", "[", "x"), "invalid pattern");
  }

  private static List<String> lines(String s) {
    return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
  }
}
