package dev.jbuild.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * More cases from the Dockerfile reference, in four tables: whole files (directives, escape,
 * heredocs) described instruction by instruction, expansion operators, .dockerignore patterns and
 * error messages.
 */
class ConformanceTableTest {

  // ---- whole files: every instruction in the compact form of Describe, joined by " | " ----

  static Stream<Arguments> files() {
    return Stream.of(
        f("# escape=`\nFROM a\nRUN dir `\n  C:\\", "FROM a | RUN shell<dir   C:\\>"),
        f("# escape=`\nFROM a\nCOPY C:\\src C:\\dst", "FROM a | COPY src=[C:\\src] dest=<C:\\dst>"),
        f("# escape=`\nFROM a\nRUN echo \\\nRUN b", "FROM a | RUN shell<echo \\> | RUN shell<b>"),
        f("# escape=`\nFROM a\nRUN a ``\nRUN b", "FROM a | RUN shell<a ``> | RUN shell<b>"),
        f("#  ESCAPE = `\nFROM a\nRUN x `\n y", "FROM a | RUN shell<x  y>"),
        f("# comment\n# escape=`\nFROM a\nRUN x `\nRUN y", "FROM a | RUN shell<x `> | RUN shell<y>"),
        f("\n# escape=`\nFROM a\nRUN x `\nRUN y", "FROM a | RUN shell<x `> | RUN shell<y>"),
        f("FROM a\n# escape=`\nRUN x \\\n y", "FROM a | RUN shell<x  y>"),
        f("# unknowndirective=1\n# escape=`\nFROM a\nRUN x `\nRUN y", "FROM a | RUN shell<x `> | RUN shell<y>"),
        f("\uFEFFFROM a\nRUN b", "FROM a | RUN shell<b>"),
        f("FROM a\r\nRUN b \\\r\n  c\r\n", "FROM a | RUN shell<b   c>"),
        f("FROM a\n\n\n   \nRUN b\n\n", "FROM a | RUN shell<b>"),
        f("FROM a\n  # indented comment\nRUN b # not a comment", "FROM a | RUN shell<b # not a comment>"),
        f("FROM a\nRUN a \\\n \\\n b", "FROM a | RUN shell<a   b>"),
        // heredocs
        f("FROM a\nRUN <<EOF\necho 1\necho 2\nEOF", "FROM a | RUN shell<<<EOF> heredoc(EOF)<echo 1\\necho 2\\n>"),
        f("FROM a\nRUN <<-EOF\n\techo 1\n\t\techo 2\n\tEOF", "FROM a | RUN shell<<<-EOF> heredoc(EOF,chomp)<echo 1\\necho 2\\n>"),
        f("FROM a\nRUN <<'EOF'\necho $HOME\nEOF", "FROM a | RUN shell<<<'EOF'> heredoc(EOF,noexpand)<echo $HOME\\n>"),
        f("FROM a\nRUN <<\"EOF\"\nx\nEOF", "FROM a | RUN shell<<<\"EOF\"> heredoc(EOF,noexpand)<x\\n>"),
        f("FROM a\nRUN <<E\"O\"F\nx\nEOF", "FROM a | RUN shell<<<E\"O\"F> heredoc(EOF,noexpand)<x\\n>"),
        f("FROM a\nRUN <<A cat && <<B cat\n1\nA\n2\nB",
            "FROM a | RUN shell<<<A cat && <<B cat> heredoc(A)<1\\n> heredoc(B)<2\\n>"),
        f("FROM a\nRUN cat 3<<EOF\nx\nEOF", "FROM a | RUN shell<cat 3<<EOF> heredoc(EOF)<x\\n>"),
        f("FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nprint('hi')\nEOF",
            "FROM a | RUN shell<<<EOF> heredoc(EOF)<#!/usr/bin/env python3\\nprint('hi')\\n>"),
        f("FROM a\nRUN <<EOF\n\nEOF", "FROM a | RUN shell<<<EOF> heredoc(EOF)<\\n>"),
        f("FROM a\nRUN <<EOF\nEOF", "FROM a | RUN shell<<<EOF> heredoc(EOF)<>"),
        f("FROM a\nRUN <<EOF\n  EOF\nEOF", "FROM a | RUN shell<<<EOF> heredoc(EOF)<  EOF\\n>"),
        f("FROM a\nRUN echo a<<b", "FROM a | RUN shell<echo a<<b>"),
        f("FROM a\nRUN echo \"<<EOF\"", "FROM a | RUN shell<echo \"<<EOF\">"),
        f("FROM a\nRUN [\"sh\", \"-c\", \"cat <<EOF\"]", "FROM a | RUN exec[<sh>,<-c>,<cat <<EOF>]"),
        f("FROM a\nCOPY <<A <<B /dst/\n1\nA\n2\nB", "FROM a | COPY src=[] dest=</dst/> heredoc(A)<1\\n> heredoc(B)<2\\n>"),
        f("FROM a\nCOPY --chmod=755 <<EOF /run.sh\n#!/bin/sh\nEOF",
            "FROM a | COPY --chmod=755 src=[] dest=</run.sh> heredoc(EOF)<#!/bin/sh\\n>"),
        f("FROM a\nADD <<EOF a.txt /d/\nx\nEOF", "FROM a | ADD src=[a.txt] dest=</d/> heredoc(EOF)<x\\n>"),
        f("FROM a\nONBUILD RUN <<EOF\nx\nEOF\nRUN y", "FROM a | ONBUILD -> RUN shell<<<EOF> heredoc(EOF)<x\\n> | RUN shell<y>"),
        f("FROM a\nENV X=<<EOF\nRUN y", "FROM a | ENV X=<<<EOF> | RUN shell<y>"),
        f("FROM a\nRUN <<EOF \\\n  && echo after\nx\nEOF", "FROM a | RUN shell<<<EOF   && echo after> heredoc(EOF)<x\\n>"),
        // stage names and FROM
        f("FROM a AS One\nFROM one", "FROM a AS one | FROM one"),
        f("ARG X=1\nARG Y\nFROM a", "ARG X=<1> | ARG Y | FROM a"),
        f("FROM a\nHEALTHCHECK --start-interval=1s --start-period=2s CMD x",
            "FROM a | HEALTHCHECK --start-interval=1s --start-period=2s shell<x>"),
        f("FROM a\nRUN --security=insecure --device=/dev/fuse --mount=type=ssh,required=true x",
            "FROM a | RUN --security=insecure --device=/dev/fuse --mount=type=ssh,required=true shell<x>"),
        f("FROM a\nADD --keep-git-dir=true --unpack=false --link=false https://x/y.git /s",
            "FROM a | ADD --keep-git-dir=true --unpack=false --link=false src=[https://x/y.git] dest=</s>"),
        f("FROM a\nCOPY --parents --exclude=*.tmp --exclude=**/.git ./a/b ./c /d/",
            "FROM a | COPY --parents --exclude=*.tmp --exclude=**/.git src=[./a/b, ./c] dest=</d/>"));
  }

  private static Arguments f(String text, String expected) {
    return Arguments.of(text, expected);
  }

  @ParameterizedTest
  @MethodSource("files")
  void file(String text, String expected) throws Exception {
    Dockerfile df = DockerfileParser.parse("Dockerfile", text);
    assertEquals(expected, df.instructions().stream().map(Describe::of).collect(Collectors.joining(" | ")), text);
  }

  // ---- expansion operators ----

  private static final Map<String, String> ENV = Map.of(
      "FILE", "/usr/src/app.tar.gz", "E", "", "V", "value", "AB", "aXbXc", "SP", "x y  z", "Q", "it's");

  static Stream<Arguments> expansions() {
    return Stream.of(
        e("${FILE#*/}", "usr/src/app.tar.gz"),
        e("${FILE##*/}", "app.tar.gz"),
        e("${FILE%.*}", "/usr/src/app.tar"),
        e("${FILE%%.*}", "/usr/src/app"),
        e("${FILE#/usr}", "/src/app.tar.gz"),
        e("${FILE%nomatch}", "/usr/src/app.tar.gz"),
        e("${FILE##*.}", "gz"),
        e("${FILE#\\/}", "usr/src/app.tar.gz"),
        e("${AB/X/-}", "a-bXc"),
        e("${AB//X/-}", "a-b-c"),
        e("${AB//X/}", "abc"),
        e("${AB/X*/!}", "a!"),
        e("${AB//[Xb]/_}", "aXbXc"),
        e("${AB/#a/A}", "aXbXc"),
        e("${UNSET/a/b}", ""),
        e("${V:-d}", "value"), e("${E:-d}", "d"), e("${E-d}", ""), e("${UNSET-d}", "d"),
        e("${V:+alt}", "alt"), e("${E:+alt}", ""), e("${E+alt}", "alt"), e("${UNSET+alt}", ""),
        e("${UNSET:-${V}}", "value"), e("${UNSET:-${UNSET2:-deep}}", "deep"),
        e("${UNSET:-a b}", "a b"), e("${UNSET:-'q'}", "q"), e("${UNSET:-\"$V\"}", "value"),
        e("${V:?}", "value"), e("${E?}", ""),
        e("\"${SP}\"", "x y  z"), e("'${SP}'", "${SP}"), e("\"$Q\"", "it's"),
        e("\\${V}", "${V}"), e("\\$V", "$V"), e("$$", ""), e("${V}${V}", "valuevalue"),
        e("a\\\\b", "a\\b"), e("\"a\\\"b\"", "a\"b"), e("\"a\\b\"", "a\\b"), e("'a\\b'", "a\\b"),
        e("$1", ""), e("${10}", ""));
  }

  private static Arguments e(String word, String expected) {
    return Arguments.of(word, expected);
  }

  @ParameterizedTest
  @MethodSource("expansions")
  void expands(String word, String expected) throws Exception {
    assertEquals(expected, new ShellExpander('\\').expand(word, ENV::get), word);
  }

  static Stream<Arguments> expansionErrors() {
    return Stream.of(
        e("${UNSET:?needs a value}", "UNSET: needs a value"),
        e("${E:?}", "E: is not allowed to be empty"),
        e("${UNSET?}", "UNSET: is not allowed to be unset"),
        e("${V", "syntax error: missing '}'"),
        e("${}", "syntax error: bad substitution"),
        e("${:-x}", "syntax error: bad substitution"),
        e("${V:=x}", "syntax error: bad substitution: unsupported modifier (:=) in ${V}"),
        e("${V:#x}", "syntax error: bad substitution: unsupported modifier (:#) in ${V}"),
        e("${AB//X}", "syntax error: missing '/' in ${}"),
        e("'open", "unexpected end of statement while looking for matching single-quote"),
        e("\"open", "unexpected end of statement while looking for matching double-quote"));
  }

  @ParameterizedTest
  @MethodSource("expansionErrors")
  void expansionFails(String word, String message) {
    ExpansionException ex = assertThrows(ExpansionException.class,
        () -> new ShellExpander('\\').expand(word, ENV::get));
    assertEquals(message, ex.getMessage(), word);
  }

  static Stream<Arguments> splits() {
    return Stream.of(
        e("a b", "[a, b]"), e("$SP", "[x, y, z]"), e("\"$SP\"", "[x y  z]"), e("a$SP", "[ax, y, z]"),
        e("''", "[]"), e("a '' b", "[a, b]"), e("a\\ b c", "[a b, c]"), e("${UNSET:-x y}", "[x, y]"),
        e("\"${UNSET:-x y}\"", "[x y]"), e("  lead trail  ", "[lead, trail]"));
  }

  @ParameterizedTest
  @MethodSource("splits")
  void splitsWords(String text, String expected) throws Exception {
    assertEquals(expected, new ShellExpander('\\').expandWords(text, ENV::get).toString(), text);
  }

  // ---- .dockerignore ----

  static Stream<Arguments> ignores() {
    return Stream.of(
        i("[abc].txt", "b.txt", true), i("[abc].txt", "d.txt", false),
        i("[^abc].txt", "d.txt", true), i("[^abc].txt", "a.txt", false),
        i("[a-c]x", "bx", true), i("[a-c]x", "dx", false),
        i("[\\]a]", "]", true), i("[\\]a]", "a", true),
        i("[a&&b]", "&", true), i("[a&&b]", "a", true),
        i("[[:digit:]]*", "7up", true), i("[[:digit:]]*", "up", false),
        i("[x\\-]", "-", true), i("[\\]]", "]", true),
        i("a\\*b", "a*b", true), i("a\\*b", "axb", false),
        i("*/tmp", "a/tmp/f", true), i("*/tmp", "a/b/tmp", false),
        i("**", "anything/at/all", true), i("a/**/b", "a/b", true), i("a/**/b", "a/x/y/b", true),
        i("a/**", "a/x", true), i("a/**", "b/x", false),
        i("!x", "x", false), i(".*", ".git", true), i(".*", "a/.git", false),
        i("#comment", "#comment", false), i("dir/../a", "a", true), i("  spaced  ", "spaced", true),
        // many stars: matched without backtracking (Docker's regexps never backtrack)
        i("*".repeat(41) + "x", "a".repeat(60), false), i("*".repeat(41) + "x", "a".repeat(60) + "x", true),
        i("*".repeat(40) + "x", "a".repeat(60) + "x", false), i("*".repeat(40) + "x", "a/b/x", true),
        i("*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(80), false), i("**/**/**/**/x", "a/b/c/d/e/f/g/h", false),
        i("**/**/**/**/x", "a/b/x", true), i("a**b", "axyb", false), i("a**b", "a/x/b", true),
        i("?", "\u00e9", true), i("[\u00e0-\u00ff]", "\u00e9", true), i("a[^/]b", "a/b", false));
  }

  private static Arguments i(String pattern, String path, boolean excluded) {
    return Arguments.of(pattern, path, excluded);
  }

  @ParameterizedTest
  @MethodSource("ignores")
  void ignore(String pattern, String path, boolean excluded) throws Exception {
    assertEquals(excluded, IgnoreMatcher.parse(".dockerignore", pattern + "\n").excludes(path),
        pattern + " vs " + path);
  }

  static Stream<Arguments> badIgnores() {
    return Stream.of(
        e("[", "unterminated bracket expression"), e("a[b", "unterminated bracket expression"),
        e("[z-a]", "invalid character class range"), e("[[:nope:]]", "invalid character class"),
        e("[\\", "unterminated bracket expression"), e("[x-]", "'-' must be escaped in a bracket expression"
            + " unless it joins two characters (write \\-)"), e("[]a]", "empty bracket expression (write \\] for a literal ])"));
  }

  @ParameterizedTest
  @MethodSource("badIgnores")
  void badIgnorePattern(String pattern, String message) {
    DockerfileException ex = assertThrows(DockerfileException.class,
        () -> IgnoreMatcher.parse(".dockerignore", "ok\n" + pattern + "\n"));
    assertEquals(".dockerignore:2:1: invalid pattern \"" + pattern + "\": " + message, ex.getMessage());
  }

  // ---- error messages ----

  static Stream<Arguments> errors() {
    return Stream.of(
        e("FROM a\nCOPY --form=x a b", "2:6: unknown flag: form (did you mean from?)"),
        e("FROM a\nRUN --mout=type=cache x", "2:5: unknown flag: mout (did you mean mount?)"),
        e("FROM a\nWORKDIR --x=1 /a", "2:9: unknown flag: x (WORKDIR takes no flags)"),
        e("FROM a\nCOPY --from=a --from=b a b", "2:15: duplicate flag specified: from"),
        e("FROM a\nCOPY --link=yes a b", "2:13: expecting boolean value for flag link, not: yes"),
        e("FROM a\nCOPY --chown a b", "2:6: missing a value on flag: chown"),
        e("FROM a\nCOPY a", "2:6: COPY requires at least two arguments, but only one was provided"),
        e("FROM a\nADD", "2:1: ADD requires at least two arguments, but only none was provided"),
        e("FROM a\nCOPY a <<EOF\nx\nEOF", "2:6: COPY cannot accept a heredoc as a destination"),
        e("FROM a\nRUN <<EOF\nx\n", "2:5: unterminated heredoc: no line \"EOF\" closes it before the end of the file"),
        e("FROM a\nHEALTHCHECK --interval=5 CMD x", "2:13: invalid duration \"5\" for --interval"),
        e("FROM a\nHEALTHCHECK --retries=-1 CMD x", "2:13: --retries cannot be negative (-1)"),
        e("FROM a\nHEALTHCHECK --timeout=1us CMD x", "2:13: --timeout cannot be less than 1ms (1us)"),
        e("FROM a\nHEALTHCHECK CONNECT x", "2:13: Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)"),
        e("FROM a\nHEALTHCHECK NONE x", "2:18: HEALTHCHECK NONE takes no arguments"),
        e("FROM a\nHEALTHCHECK CMD", "2:13: Missing command after HEALTHCHECK CMD"),
        e("FROM a\nONBUILD ONBUILD RUN x", "2:9: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
        e("FROM a\nONBUILD FROM b", "2:9: FROM isn't allowed as an ONBUILD trigger"),
        e("FROM a\nONBUILD MAINTAINER me", "2:9: MAINTAINER isn't allowed as an ONBUILD trigger"),
        e("FROM a\nSHELL /bin/sh -c", "2:7: SHELL requires the arguments to be in JSON form"),
        e("FROM a\nSHELL []", "2:7: SHELL requires at least one argument"),
        e("FROM a\nVOLUME [\"\"]", "2:8: VOLUME specified can not be an empty string"),
        e("FROM a\nCMD [\"a\", 1]", "2:5: when using JSON array syntax, arrays must be comprised of strings only"),
        e("FROM a\nENV =x", "2:5: ENV names can not be blank"),
        e("FROM a\nENV A=1 B", "2:9: Syntax error - can't find = in \"B\". Must be of the form: name=value"),
        e("FROM a\nENV A", "2:5: ENV must have two arguments"),
        e("FROM a\nLABEL", "2:1: LABEL requires at least one argument"),
        e("FROM a\nARG =x", "2:5: ARG names can not be blank"),
        e("FROM a\nUSER", "2:1: USER requires exactly one argument"),
        e("FROM a\nSTOPSIGNAL", "2:1: STOPSIGNAL requires exactly one argument"),
        e("# escape=x\nFROM a", "1:1: invalid escape token 'x' does not match ` or \\"),
        e("# escape=`\n# escape=\\\nFROM a", "2:1: only one escape parser directive can be used"),
        e("# syntax=a\n# syntax=b\nFROM a", "2:1: only one syntax parser directive can be used"),
        e("FROM a AS b c d", "1:6: FROM requires either one or three arguments"),
        e("FROM a\nWORKDIRR /x", "2:1: unknown instruction: WORKDIRR (did you mean WORKDIR?)"),
        e("FROM a\nHEALTHCHEK NONE", "2:1: unknown instruction: HEALTHCHEK (did you mean HEALTHCHECK?)"),
        e("FROM a\nEXPOS 80", "2:1: unknown instruction: EXPOS (did you mean EXPOSE?)"),
        e("FROM a\nRUN echo \\\\\nx", "3:1: unknown instruction: x"));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void error(String text, String expected) {
    DockerfileException ex = assertThrows(DockerfileException.class, () -> DockerfileParser.parse("Dockerfile", text));
    String message = ex.getMessage();
    assertEquals(true, message.startsWith("Dockerfile:" + expected), message + "\n  expected: Dockerfile:" + expected);
  }

  @ParameterizedTest
  @MethodSource("errors")
  void errorRendersTheLineWithACaret(String text, String expected) {
    DockerfileException ex = assertThrows(DockerfileException.class, () -> DockerfileParser.parse("Dockerfile", text));
    List<String> lines = ex.render().lines().toList();
    int line = ex.range().startLine();
    assertEquals(" " + line + " | " + text.split("\n", -1)[line - 1].replace("\r", ""), lines.get(1));
    assertEquals(true, lines.get(2).trim().startsWith("|") && lines.get(2).endsWith("^"), ex.render());
  }
}
