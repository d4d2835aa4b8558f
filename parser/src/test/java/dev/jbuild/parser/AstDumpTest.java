package dev.jbuild.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The BuildKit {@code Node.Dump()} form: one instruction per case, after {@code FROM scratch}. */
class AstDumpTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        c("FROM ubuntu", "(from \"ubuntu\")"),
        c("from Ubuntu:22.04 AS Build", "(from \"Ubuntu:22.04\" \"AS\" \"Build\")"),
        c("FROM --platform=$BUILDPLATFORM golang AS b", "(from [\"--platform=$BUILDPLATFORM\"] \"golang\" \"AS\" \"b\")"),
        c("RUN echo hi", "(run \"echo hi\")"),
        c("RUN   echo   hi  ", "(run \"echo   hi\")"),
        c("RUN [\"echo\", \"hi\"]", "(run \"echo\" \"hi\")"),
        c("RUN [\"echo\", 'hi']", "(run \"[\\\"echo\\\", 'hi']\")"),
        c("RUN []", "(run)"),
        c("RUN --mount=type=cache,target=/root/.cache --network=none pip install x",
            "(run [\"--mount=type=cache,target=/root/.cache\" \"--network=none\"] \"pip install x\")"),
        c("RUN --mount=type=secret,id=\"a b\" cat", "(run [\"--mount=type=secret,id=a b\"] \"cat\")"),
        c("RUN -- --not-a-flag", "(run \"--not-a-flag\")"),
        c("RUN echo \"tab\there\"", "(run \"echo \\\"tab\\there\\\"\")"),
        c("RUN echo a \\\n  b", "(run \"echo a   b\")"),
        c("RUN echo a \\\n# comment\n  b", "(run \"echo a   b\")"),
        c("RUN <<EOF\necho hi\nEOF", "(run \"<<EOF\")"),
        c("RUN python3 <<EOF > /out\nprint(1)\nEOF", "(run \"python3 <<EOF > /out\")"),
        c("CMD [\"/bin/sh\", \"-c\", \"echo $HOME\"]", "(cmd \"/bin/sh\" \"-c\" \"echo $HOME\")"),
        c("CMD echo hi", "(cmd \"echo hi\")"),
        c("ENTRYPOINT [\"tini\", \"--\"]", "(entrypoint \"tini\" \"--\")"),
        c("SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]", "(shell \"/bin/bash\" \"-o\" \"pipefail\" \"-c\")"),
        c("ENV A=1", "(env \"A\" \"1\" \"=\")"),
        c("ENV A=1 B=\"two words\"", "(env \"A\" \"1\" \"=\" \"B\" \"\\\"two words\\\"\" \"=\")"),
        c("ENV LEGACY some value", "(env \"LEGACY\" \"some value\" \"\")"),
        c("ENV A=", "(env \"A\" \"\" \"=\")"),
        c("ENV A=a\\ b", "(env \"A\" \"a\\\\ b\" \"=\")"),
        c("LABEL version=\"1.0\" description=\"My app\"",
            "(label \"version\" \"\\\"1.0\\\"\" \"=\" \"description\" \"\\\"My app\\\"\" \"=\")"),
        c("LABEL legacy value", "(label \"legacy\" \"value\" \"\")"),
        c("ARG A", "(arg \"A\")"),
        c("ARG A=1 B=\"x y\"", "(arg \"A=1\" \"B=\\\"x y\\\"\")"),
        // ARG keeps quote-aware words as written, as BuildKit's parseWords (quotes and escapes stay)
        c("ARG foo bar", "(arg \"foo\" \"bar\")"),
        c("ARG foo\\ bar", "(arg \"foo\\\\ bar\")"),
        c("ARG foo bar 'abc xyz'", "(arg \"foo\" \"bar\" \"'abc xyz'\")"),
        c("ARG f\u00f6o b\u00e0r \"\u00e2bc x\u00ffz\"", "(arg \"f\u00f6o\" \"b\u00e0r\" \"\\\"\u00e2bc x\u00ffz\\\"\")"),
        c("COPY a b /dst/", "(copy \"a\" \"b\" \"/dst/\")"),
        c("COPY --from=build --chown=1:1 /out /app", "(copy [\"--from=build\" \"--chown=1:1\"] \"/out\" \"/app\")"),
        c("COPY [\"a b\", \"/c d/\"]", "(copy \"a b\" \"/c d/\")"),
        c("COPY \"a b\" /c", "(copy \"\\\"a\" \"b\\\"\" \"/c\")"),
        c("COPY <<EOF /etc/conf\nx=1\nEOF", "(copy \"<<EOF\" \"/etc/conf\")"),
        c("COPY --link --exclude=*.md . /src", "(copy [\"--link\" \"--exclude=*.md\"] \".\" \"/src\")"),
        c("ADD --checksum=sha256:abc https://example.com/a.tgz /", "(add [\"--checksum=sha256:abc\"] \"https://example.com/a.tgz\" \"/\")"),
        c("VOLUME /data /logs", "(volume \"/data\" \"/logs\")"),
        c("VOLUME [\"/data\"]", "(volume \"/data\")"),
        c("EXPOSE 80/tcp 53/udp", "(expose \"80/tcp\" \"53/udp\")"),
        c("WORKDIR /app dir", "(workdir \"/app dir\")"),
        c("USER app:app", "(user \"app:app\")"),
        c("STOPSIGNAL SIGTERM", "(stopsignal \"SIGTERM\")"),
        c("MAINTAINER Jane <jane@example.com>", "(maintainer \"Jane <jane@example.com>\")"),
        c("ONBUILD RUN make", "(onbuild (run \"make\"))"),
        c("ONBUILD COPY --from=x a b", "(onbuild (copy [\"--from=x\"] \"a\" \"b\"))"),
        c("HEALTHCHECK NONE", "(healthcheck \"NONE\")"),
        c("HEALTHCHECK --interval=5s --retries=3 CMD /check.sh --quiet",
            "(healthcheck [\"--interval=5s\" \"--retries=3\"] \"CMD\" \"/check.sh --quiet\")"),
        c("HEALTHCHECK CMD [\"curl\", \"-f\", \"http://x/\"]", "(healthcheck \"CMD\" \"curl\" \"-f\" \"http://x/\")"),
        c("RUN echo caf\u00e9 \u2713", "(run \"echo caf\u00e9 \u2713\")"),
        c("RUN echo \u00a0x", "(run \"echo \\u00a0x\")"),
        c("RUN [\"a\\u0001b\"]", "(run \"a\\x01b\")"),
        c("RUN echo \\\\", "(run \"echo \\\\\\\\\")"));
  }

  private static Arguments c(String instruction, String expected) {
    return Arguments.of(instruction, expected);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void dump(String instruction, String expected) throws Exception {
    assertEquals("(from \"scratch\")\n" + expected, AstDump.dump("Dockerfile", "FROM scratch\n" + instruction + "\n"));
  }

  @Test
  void wholeFile() throws Exception {
    String text = "# syntax=docker/dockerfile:1\n# escape=`\n\nARG V=1\nFROM alpine:${V} AS base\n"
        + "RUN apk add `\n  curl\n\nFROM base\nCOPY --from=base /a /b\n";
    assertEquals("(arg \"V=1\")\n(from \"alpine:${V}\" \"AS\" \"base\")\n(run \"apk add   curl\")\n"
        + "(from \"base\")\n(copy [\"--from=base\"] \"/a\" \"/b\")", AstDump.dump("Dockerfile", text));
  }

  @Test
  void heredocBodiesOnRequest() throws Exception {
    String text = "FROM a\nRUN <<A cat - <<-\"B\"\none\nA\n\ttwo\n\tB\n";
    assertEquals("(from \"a\")\n(run \"<<A cat - <<-\\\"B\\\"\")", AstDump.dump("Dockerfile", text));
    assertEquals("(from \"a\")\n(run \"<<A cat - <<-\\\"B\\\"\")\n(heredoc \"A\" \"one\\n\")\n(heredoc \"B\" \"two\\n\")",
        AstDump.dump("Dockerfile", text, true));
  }

  /** BuildKit's parser checks no semantics: those are the typed level's errors, reported by build. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "RUN make|(run \"make\")",
      "COPPY x y|(coppy \"\")",
      "COPY --form=a x y|(copy [\"--form=a\"] \"x\" \"y\")",
      "COPY onlyone|(copy \"onlyone\")",
      "FROM a b|(from \"a\" \"b\")",
      "FROM|(from)",
      "ENV|(env)",
      "ONBUILD|(onbuild)",
      "ONBUILD ONBUILD RUN x|(onbuild (onbuild (run \"x\")))",
      "HEALTHCHECK --interval=5 CMD x|(healthcheck [\"--interval=5\"] \"CMD\" \"x\")",
      "RUN --network=bridge x|(run [\"--network=bridge\"] \"x\")",
      "SHELL sh -c|(shell \"sh -c\")",
  })
  void noSemanticChecks(String line, String expected) throws Exception {
    assertEquals(expected, AstDump.dump("Dockerfile", line + "\n"));
    DockerfileException e = assertThrows(DockerfileException.class, () -> DockerfileParser.parse("Dockerfile", line + "\n"));
    assertEquals("Dockerfile:1:", e.getMessage().substring(0, 13));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ENV A|Dockerfile:2:1: ENV must have two arguments",
      "LABEL a=1 b|Dockerfile:2:1: Syntax error - can't find = in \"b\". Must be of the form: name=value",
      "CMD [\"a\", 1]|Dockerfile:2:1: when using JSON array syntax, arrays must be comprised of strings only",
      "COPY [1, \"b\"]|Dockerfile:2:1: when using JSON array syntax, arrays must be comprised of strings only",
      "HEALTHCHECK CMD [true]|Dockerfile:2:1: when using JSON array syntax, arrays must be comprised of strings only",
  })
  void parserLevelErrors(String line, String message) {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> AstDump.dump("Dockerfile", "FROM a\n" + line + "\n"));
    assertEquals(message, e.getMessage().lines().findFirst().orElseThrow());
  }

  @Test
  void nodesKeepLinesFlagsAndHeredocs() throws Exception {
    DockerfileNodes parsed = DockerfileParser.parseNodes("Dockerfile",
        "# escape=`\nRUN a\nCOPY --chmod=755 <<EOF `\n  /x\nbody\nEOF\nCMD [\"a\"]\n");
    assertEquals('`', parsed.escape());
    assertEquals(3, parsed.nodes().size());
    Node copy = parsed.nodes().get(1);
    assertEquals(new Node("COPY", List.of("--chmod=755"), List.of("<<EOF", "/x"), java.util.Optional.empty(), false,
        List.of(new Heredoc("EOF", "body\n", true, false)), "COPY --chmod=755 <<EOF   /x", 3, 4), copy);
    assertEquals(true, parsed.nodes().get(2).json());
    assertEquals(7, parsed.nodes().get(2).startLine());
  }

  /** Blank and comment lines inside a continuation are skipped, not ends of the instruction. */
  @Test
  void continuationSkipsBlankAndCommentLines() throws Exception {
    String text = "FROM a\nRUN something \\\n\n    following \\\n\n    more\n"
        + "RUN non-indented \\\n# this is a comment\n   after-comment\n";
    assertEquals("(from \"a\")\n(run \"something     following     more\")\n(run \"non-indented    after-comment\")",
        AstDump.dump("Dockerfile", text));
  }

  @Test
  void overlongLineIsAnError() {
    String text = "FROM a\nLABEL test=" + "a".repeat(65536) + "\n";
    DockerfileException e = assertThrows(DockerfileException.class, () -> AstDump.dump("Dockerfile", text));
    assertEquals("Dockerfile:2:1: dockerfile line greater than max allowed size of 65535",
        e.getMessage().lines().findFirst().orElseThrow());
    assertThrows(DockerfileException.class, () -> DockerfileParser.parse("Dockerfile", text));
  }

  @Test
  void emptyFileIsTheOnlyWholeFileError() {
    DockerfileException e = assertThrows(DockerfileException.class, () -> AstDump.dump("Dockerfile", "# just a comment\n"));
    assertEquals("Dockerfile:1:1: file with no instructions", e.getMessage().lines().findFirst().orElseThrow());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--a=1 --b=2 rest of line|[--a=1, --b=2]|rest of line",
      "--a='x y' z|[--a=x y]|z",
      "--a=\"q\\\"q\" z|[--a=q\"q]|z",
      "--a -- --b|[--a]|' --b'",
      "--only|[--only]|''",
      "plain --x|[]|plain --x",
      "-x y|[]|-x y",
  })
  void flagExtraction(String line, String flags, String rest) {
    List<String> out = new ArrayList<>();
    assertEquals(rest, NodeBuilder.extractFlags(line, out));
    assertEquals(flags, out.toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "abc|\"abc\"",
      "a\"b|\"a\\\"b\"",
      "a\\b|\"a\\\\b\"",
  })
  void goQuote(String in, String out) {
    assertEquals(out, GoQuote.quote(in));
  }

  @Test
  void goQuoteEscapes() {
    assertEquals("\"\\a\\b\\f\\n\\r\\t\\v\\x00\\x7f\"", GoQuote.quote("\u0007\b\f\n\r\t\u000b\u0000\u007f"));
    assertEquals("\"\\u200b\\u2028\"", GoQuote.quote("\u200b\u2028"));
    assertEquals("\"\ud83d\ude00\"", GoQuote.quote("\ud83d\ude00"));
    assertEquals("\"\\U000e0001\"", GoQuote.quote(new String(Character.toChars(0xE0001))));
    assertEquals("[\"a\" \"b c\"]", GoQuote.quoteList(List.of("a", "b c")));
    assertEquals("[]", GoQuote.quoteList(List.of()));
  }
}
