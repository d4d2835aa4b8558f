package dev.jbuild.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Garbage never escapes as anything but the documented exceptions, and nothing is printed. */
class RobustnessTest {
  private static final String[] FRAGMENTS = {
      "FROM", "from", "RUN", "COPY", "ADD", "ENV", "LABEL", "ARG", "CMD", "ENTRYPOINT", "ONBUILD",
      "HEALTHCHECK", "SHELL", "VOLUME", "EXPOSE", "USER", "WORKDIR", "STOPSIGNAL", "MAINTAINER",
      "NONE", "AS", " ", " ", " ", "\t", "\n", "\n", "\r\n", "\\", "\\\n", "`", "`\n", "#", "# escape=`\n",
      "# syntax=x\n", "[", "]", "{", "}", ":", ",", "\"", "'", "\"a\"", "=", "--", "--from=", "--link",
      "--mount=type=cache", "--platform=$X", "<<", "<<EOF", "<<-EOF", "<<'EOF'", "EOF", "\tEOF", "$",
      "${", "${A:-", "}", "a", "b", "x y", "1", "-1.5e3", "true", "null", "\\u00", "\u00e9", "\ud83d\udc33",
      "\ud83d", "\u0000", "\u00a0", "\uFEFF", "*", "?", "/", "%", "#", "##", "//"};

  private static String garbage(Random random, int pieces) {
    StringBuilder sb = new StringBuilder();
    if (random.nextBoolean()) {
      sb.append("FROM a\n");
    }
    for (int i = 0; i < pieces; i++) {
      sb.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
    }
    return sb.toString();
  }

  @Test
  void randomInputsOnlyEverRaiseDockerfileException() {
    Random random = new Random(42);
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    int parsed = 0;
    int rejected = 0;
    try {
      for (int i = 0; i < 3000; i++) {
        String input = garbage(random, 1 + random.nextInt(60));
        try {
          Dockerfile df = DockerfileParser.parse("Dockerfile", input);
          assertNotNull(df);
          assertTrue(!df.instructions().isEmpty());
          parsed++;
        } catch (DockerfileException e) {
          assertNotNull(e.render());
          assertTrue(e.range().startLine() >= 1 && e.range().startColumn() >= 1, e.getMessage());
          assertTrue(!e.getMessage().contains("internal parser error"), () -> e.getMessage() + "\n" + input);
          rejected++;
        } catch (Throwable t) {
          throw new AssertionError("unexpected " + t + " for input:\n" + input, t);
        }
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    assertEquals("", printed.toString(StandardCharsets.UTF_8));
    assertTrue(parsed > 10, "parsed " + parsed);
    assertTrue(rejected > 100, "rejected " + rejected);
  }

  @Test
  void randomCharactersOnlyEverRaiseDockerfileException() {
    Random random = new Random(7);
    String alphabet = "FROMRUNCOPYfrom \t\n\\`#[]{}:,\"'=-<$EOF\r\u00e9";
    for (int i = 0; i < 2000; i++) {
      StringBuilder sb = new StringBuilder(random.nextBoolean() ? "FROM a\n" : "");
      int n = random.nextInt(80);
      for (int k = 0; k < n; k++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      try {
        DockerfileParser.parse("Dockerfile", sb.toString());
      } catch (DockerfileException e) {
        assertTrue(!e.getMessage().contains("internal parser error"), () -> e.getMessage() + "\n" + sb);
      } catch (Throwable t) {
        throw new AssertionError("unexpected " + t + " for input:\n" + sb, t);
      }
    }
  }

  @Test
  void expanderOnlyEverRaisesExpansionException() {
    Random random = new Random(3);
    String alphabet = "$${}}:-+?#%/ab\\`'\" *[]!^\u00e9";
    ShellExpander[] expanders = {new ShellExpander('\\'), new ShellExpander('`')};
    for (int i = 0; i < 5000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(30);
      for (int k = 0; k < n; k++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      for (ShellExpander expander : expanders) {
        try {
          expander.expand(sb.toString(), name -> name.equals("a") ? "a*b" : null);
          expander.expandWords(sb.toString(), name -> name.equals("b") ? "x y" : null);
        } catch (ExpansionException e) {
          assertNotNull(e.getMessage());
        } catch (Throwable t) {
          throw new AssertionError("unexpected " + t + " for word: " + sb, t);
        }
      }
    }
  }

  @Test
  void deepNestingIsAnErrorNotACrash() {
    String deep = "FROM a\nCMD " + "[".repeat(50_000) + "\n";
    try {
      DockerfileParser.parse("Dockerfile", deep);
    } catch (DockerfileException e) {
      assertNotNull(e.getMessage());
    }
    String deepValid = "FROM a\nCMD [\"a\", " + "[".repeat(3000) + "]".repeat(3000) + "]\n";
    try {
      DockerfileParser.parse("Dockerfile", deepValid);
      fail("nested arrays are not strings");
    } catch (DockerfileException e) {
      assertNotNull(e.getMessage());
    }
  }

  @Test
  void largeFileParsesCompletely() throws DockerfileException {
    StringBuilder sb = new StringBuilder("# syntax=docker/dockerfile:1\nARG BASE=alpine\nFROM $BASE AS base\n");
    for (int i = 0; i < 5000; i++) {
      switch (i % 10) {
        case 0 -> sb.append("RUN apt-get update && \\\n    apt-get install -y pkg").append(i).append('\n');
        case 1 -> sb.append("COPY --from=base --chmod=755 src/").append(i).append(" /app/").append(i).append('\n');
        case 2 -> sb.append("ENV K").append(i).append("=\"v ").append(i).append("\" PATH=/x:$PATH\n");
        case 3 -> sb.append("LABEL a.b.c").append(i).append("=x\n");
        case 4 -> sb.append("CMD [\"/bin/app\", \"--port\", \"").append(i).append("\"]\n");
        case 5 -> sb.append("RUN --mount=type=cache,target=/c <<EOF\necho ").append(i).append("\nEOF\n");
        case 6 -> sb.append("# comment ").append(i).append("\nWORKDIR /w").append(i).append('\n');
        case 7 -> sb.append("ARG A").append(i).append("=1 B").append(i).append('\n');
        case 8 -> sb.append("FROM base AS s").append(i).append('\n');
        default -> sb.append("RUN [ -f /x ] && echo ").append(i).append('\n');
      }
    }
    // Speed is measured by a benchmark, not here; this checks that a large file parses completely.
    Dockerfile df = DockerfileParser.parse("Dockerfile", sb.toString());
    assertEquals(5002, df.instructions().size());
  }
}
