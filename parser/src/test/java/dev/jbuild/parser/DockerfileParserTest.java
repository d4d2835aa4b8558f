package dev.jbuild.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole-file behaviour: directives, the escape character, positions, original text. */
class DockerfileParserTest {

  private static Dockerfile parse(String text) throws DockerfileException {
    return DockerfileParser.parse("Dockerfile", text);
  }

  private static String all(Dockerfile df) {
    return df.instructions().stream().map(Describe::of).collect(Collectors.joining("\n"));
  }

  static Stream<Arguments> directives() {
    return Stream.of(
        Arguments.of("# syntax=docker/dockerfile:1\nFROM a", Map.of("syntax", "docker/dockerfile:1"), '\\'),
        Arguments.of("# escape=`\nFROM a", Map.of("escape", "`"), '`'),
        Arguments.of("#escape=\\\nFROM a", Map.of("escape", "\\"), '\\'),
        Arguments.of("# ESCAPE = `  \nFROM a", Map.of("escape", "`"), '`'),
        Arguments.of("  # escape=`\nFROM a", Map.of("escape", "`"), '`'),
        Arguments.of("# syntax=docker/dockerfile:1.7\n# escape=`\n# check=skip=all;error=true\nFROM a",
            Map.of("syntax", "docker/dockerfile:1.7", "escape", "`", "check", "skip=all;error=true"), '`'),
        // after a blank line, a comment or an instruction, directives are plain comments
        Arguments.of("\n# escape=`\nFROM a", Map.of(), '\\'),
        Arguments.of("# hello\n# escape=`\nFROM a", Map.of(), '\\'),
        Arguments.of("# foo=bar\n# escape=`\nFROM a", Map.of(), '\\'),
        Arguments.of("FROM a\n# escape=`", Map.of(), '\\'),
        Arguments.of("# escape =\n FROM a", Map.of(), '\\'));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("directives")
  void readsDirectives(String text, Map<String, String> expected, char escape) throws DockerfileException {
    Dockerfile df = parse(text);
    assertEquals(expected, df.directives());
    assertEquals(escape, df.escape());
  }

  @Test
  void escapeBacktickContinuesLinesAndLeavesBackslashLiteral() throws DockerfileException {
    Dockerfile df = parse("# escape=`\n\nFROM mcr.microsoft.com/windows/servercore\n"
        + "COPY testfile.txt c:\\\n"
        + "RUN dir c:\\ `\n    && echo done\n"
        + "ENV P=C:\\a` b\n");
    assertEquals("FROM mcr.microsoft.com/windows/servercore\n"
        + "COPY src=[testfile.txt] dest=<c:\\>\n"
        + "RUN shell<dir c:\\     && echo done>\n"
        + "ENV P=<C:\\a` b>", all(df));
  }

  @Test
  void backslashIsLiteralAtEndOfLineWithBacktickEscape() throws DockerfileException {
    Dockerfile df = parse("# escape=`\nFROM a\nRUN echo \\\nRUN next");
    assertEquals(3, df.instructions().size());
    assertEquals("RUN shell<echo \\>", Describe.of(df.instructions().get(1)));
  }

  @Test
  void multiStageFile() throws DockerfileException {
    Dockerfile df = parse("""
        # syntax=docker/dockerfile:1
        ARG GO_VERSION=1.22
        FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
        ARG TARGETOS TARGETARCH
        WORKDIR /src
        COPY go.mod go.sum ./
        RUN --mount=type=cache,target=/go/pkg/mod go mod download
        COPY . .
        RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .

        FROM alpine:3.19
        LABEL org.opencontainers.image.source="https://example.com/app" \\
              org.opencontainers.image.revision=$GIT_COMMIT
        COPY --from=build /out/app /usr/local/bin/app
        EXPOSE 8080
        USER 65534
        ENTRYPOINT ["/usr/local/bin/app"]
        """);
    assertEquals("""
        ARG GO_VERSION=<1.22>
        FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
        ARG TARGETOS TARGETARCH
        WORKDIR </src>
        COPY src=[go.mod, go.sum] dest=<./>
        RUN --mount=type=cache,target=/go/pkg/mod shell<go mod download>
        COPY src=[.] dest=<.>
        RUN shell<CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .>
        FROM alpine:3.19
        LABEL org.opencontainers.image.source=<"https://example.com/app"> org.opencontainers.image.revision=<$GIT_COMMIT>
        COPY --from=build src=[/out/app] dest=</usr/local/bin/app>
        EXPOSE [8080]
        USER <65534>
        ENTRYPOINT exec[</usr/local/bin/app>]""", all(df));
    assertEquals("Dockerfile", df.fileName());
    assertEquals(Map.of("syntax", "docker/dockerfile:1"), df.directives());
  }

  @Test
  void rangesAndOriginalCoverContinuationLines() throws DockerfileException {
    Dockerfile df = parse("FROM a\n  RUN apt-get update \\\n   # comment\n      && apt-get install x\nCMD y\n");
    Instruction run = df.instructions().get(1);
    assertEquals(new SourceRange(2, 3, 4, 26), run.range());
    assertEquals("RUN apt-get update \\\n   # comment\n      && apt-get install x", run.original());
    assertEquals(new SourceRange(5, 1, 5, 5), df.instructions().get(2).range());
    assertEquals("CMD y", df.instructions().get(2).original());
  }

  @Test
  void rangeOfHeredocInstructionExcludesBody() throws DockerfileException {
    Dockerfile df = parse("FROM a\nRUN <<EOF\nbody\nEOF\nUSER x");
    Instruction run = df.instructions().get(1);
    assertEquals(new SourceRange(2, 1, 2, 9), run.range());
    assertEquals("RUN <<EOF", run.original());
    assertEquals(new SourceRange(5, 1, 5, 6), df.instructions().get(2).range());
  }

  @Test
  void flagAndKeyValueRanges() throws DockerfileException {
    Dockerfile df = parse("FROM --platform=linux/arm64 a\nENV A=1 \\\n  B=\"x y\"\nARG N=v M");
    Flag platform = df.instructions().get(0).flags().get(0);
    assertEquals(new SourceRange(1, 6, 1, 27), platform.range());
    Instruction.Env env = assertInstanceOf(Instruction.Env.class, df.instructions().get(1));
    assertEquals(new SourceRange(2, 5, 2, 7), env.pairs().get(0).range());
    assertEquals(new SourceRange(3, 3, 3, 9), env.pairs().get(1).range());
    Instruction.Arg arg = assertInstanceOf(Instruction.Arg.class, df.instructions().get(2));
    assertEquals(new SourceRange(4, 5, 4, 7), arg.args().get(0).range());
    assertEquals(new SourceRange(4, 9, 4, 9), arg.args().get(1).range());
  }

  @Test
  void crlfBomAndUnicode() throws DockerfileException {
    Dockerfile df = parse("\uFEFFFROM a\r\nRUN echo \u65e5\u672c \ud83d\udc33 \\\r\n  done\r\nLABEL k=\"\u00e9\"\r\n");
    assertEquals("FROM a\nRUN shell<echo \u65e5\u672c \ud83d\udc33   done>\nLABEL k=<\"\u00e9\">", all(df));
    assertEquals("RUN echo \u65e5\u672c \ud83d\udc33 \\\n  done", df.instructions().get(1).original());
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> parse("FROM a\nLABEL \ud83d\udc33=1 x"));
    assertEquals(new SourceRange(2, 12, 2, 12), e.range());
  }

  @Test
  void keywordsAreCaseInsensitive() throws DockerfileException {
    Dockerfile df = parse("from a AS b\nrun x\nCoPy a b\nworkdir /w\nexpose 1\nvolume /v\nshell [\"sh\"]");
    assertEquals(List.of("FROM", "RUN", "COPY", "WORKDIR", "EXPOSE", "VOLUME", "SHELL"),
        df.instructions().stream().map(Instruction::keyword).toList());
  }

  @Test
  void emptyContinuationLinesAndCommentsAreSkippedInsideInstructions() throws DockerfileException {
    Dockerfile df = parse("FROM a\nRUN echo a \\\n\n# c1\n  \t\n    # c2\n    b\nRUN c");
    assertEquals("FROM a\nRUN shell<echo a     b>\nRUN shell<c>", all(df));
  }

  @Test
  void commentsAreNotInstructionsAnywhere() throws DockerfileException {
    Dockerfile df = parse("# top\nFROM a\n# between\n\t# indented\nRUN x # trailing is shell text\n#last");
    assertEquals("FROM a\nRUN shell<x # trailing is shell text>", all(df));
  }

  @Test
  void renderShowsLineAndCaret() {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> parse("FROM alpine\nRUN echo hi\nCOPPY a b\n"));
    assertEquals("""
        Dockerfile:3:1: unknown instruction: COPPY (did you mean COPY?)
         3 | COPPY a b
           | ^^^^^""", e.render());
    DockerfileException flag = assertThrows(DockerfileException.class,
        () -> parse("FROM alpine\nCOPY --link=maybe a b\n"));
    assertEquals("""
        Dockerfile:2:13: expecting boolean value for flag link, not: maybe
         2 | COPY --link=maybe a b
           |             ^^^^^""", flag.render());
  }

  @Test
  void errorCarriesFileNameAndLines() {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> DockerfileParser.parse("build/Dockerfile.prod", "FROM a\nWORKDIR"));
    assertEquals("build/Dockerfile.prod", e.fileName());
    assertEquals("build/Dockerfile.prod:2:1: WORKDIR requires exactly one argument", e.getMessage());
  }

  @Test
  void onbuildTriggerHasItsOwnRange() throws DockerfileException {
    Dockerfile df = parse("FROM a\nONBUILD   RUN --mount=type=ssh make");
    Instruction.Onbuild on = assertInstanceOf(Instruction.Onbuild.class, df.instructions().get(1));
    Instruction.Run trigger = assertInstanceOf(Instruction.Run.class, on.trigger());
    assertEquals(new SourceRange(2, 11, 2, 35), trigger.range());
    assertEquals("RUN --mount=type=ssh make", trigger.original());
    assertEquals(new SourceRange(2, 15, 2, 30), trigger.flags().get(0).range());
  }

  @Test
  void heredocsAndFollowingInstructions() throws DockerfileException {
    Dockerfile df = parse("FROM a\nRUN <<EOF\nRUN not-an-instruction\nEOF\nCOPY <<one <<two /x/\n1\none\n2\ntwo\nUSER u");
    assertEquals("FROM a\nRUN shell<<<EOF> heredoc(EOF)<RUN not-an-instruction\\n>\n"
        + "COPY src=[] dest=</x/> heredoc(one)<1\\n> heredoc(two)<2\\n>\nUSER <u>", all(df));
  }

  @Test
  void argumentsBeforeFirstFromAreAllowed() throws DockerfileException {
    Dockerfile df = parse("ARG A=1\nARG B\n# comment\nFROM x:$A");
    assertEquals(3, df.instructions().size());
  }

  @Test
  void nullInputsAreHandled() {
    DockerfileException e = assertThrows(DockerfileException.class, () -> DockerfileParser.parse(null, null));
    assertEquals("Dockerfile:1:1: file with no instructions", e.getMessage());
  }

  @Test
  void instructionsAreImmutable() throws DockerfileException {
    Dockerfile df = parse("FROM a\nRUN x");
    List<Instruction> list = df.instructions();
    org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> list.add(list.get(0)));
  }
}
