package dev.jbuild.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad Dockerfiles: each gives a DockerfileException at an exact line and column. */
class ErrorTableTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // unknown instructions, with suggestions
        c("FROM a\nCPY a b", "2:1: unknown instruction: CPY (did you mean COPY?)"),
        c("FROM a\n  RUNN x", "2:3: unknown instruction: RUNN (did you mean RUN?)"),
        c("FROM a\n\tENTRYPINT x", "2:2: unknown instruction: ENTRYPINT (did you mean ENTRYPOINT?)"),
        c("FORM alpine", "1:1: unknown instruction: FORM (did you mean FROM?)"),
        c("FROM a\nFOO x", "2:1: unknown instruction: FOO"),
        c("FROM a\nRUN[\"x\"]", "2:1: unknown instruction: RUN[\"x\"]"),
        c("FROM a\nRUN <<EOF\nx\nEOF\nCOPPY a b", "5:1: unknown instruction: COPPY (did you mean COPY?)"),
        c("# escape=`\nFROM a\nRUN a `\n  b\nFOO", "5:1: unknown instruction: FOO"),
        c("FROM a\nONBUILD CPY a b", "2:9: unknown instruction: CPY (did you mean COPY?)"),
        // structure
        c("", "1:1: file with no instructions"),
        c("# only a comment\n\n   \n", "1:1: file with no instructions"),
        c("RUN x", "1:1: no build stage in current context: RUN must come after a FROM instruction"),
        c("ARG V=1\nENV A=1\nFROM a", "2:1: no build stage in current context: ENV"),
        c("ARG A\nARG B", "1:1: dockerfile contains no stages to build"),
        // missing arguments
        c("FROM", "1:1: FROM requires either one or three arguments"),
        c("FROM a b", "1:6: FROM requires either one or three arguments"),
        c("FROM a AS b c", "1:6: FROM requires either one or three arguments"),
        c("FROM a XX b", "1:8: FROM requires either one or three arguments"),
        c("FROM a AS 1x", "1:11: invalid name for build stage: \"1x\""),
        c("FROM a AS b/c", "1:11: invalid name for build stage"),
        c("FROM a\nARG", "2:1: ARG requires at least one argument"),
        c("FROM a\nARG =x", "2:5: ARG names can not be blank"),
        c("FROM a\nRUN", "2:1: RUN requires at least one argument"),
        c("FROM a\nRUN --mount=type=ssh", "2:1: RUN requires at least one argument"),
        c("FROM a\nCMD", "2:1: CMD requires at least one argument"),
        c("FROM a\nENTRYPOINT   ", "2:1: ENTRYPOINT requires at least one argument"),
        c("FROM a\nCOPY onlyone", "2:6: COPY requires at least two arguments, but only one was provided"),
        c("FROM a\nCOPY  --from=x", "2:1: COPY requires at least two arguments"),
        c("FROM a\nADD [\"x\"]", "2:5: ADD requires at least two arguments"),
        c("FROM a\nWORKDIR", "2:1: WORKDIR requires exactly one argument"),
        c("FROM a\nUSER", "2:1: USER requires exactly one argument"),
        c("FROM a\nSTOPSIGNAL", "2:1: STOPSIGNAL requires exactly one argument"),
        c("FROM a\nMAINTAINER", "2:1: MAINTAINER requires exactly one argument"),
        c("FROM a\nEXPOSE", "2:1: EXPOSE requires at least one argument"),
        c("FROM a\nVOLUME", "2:1: VOLUME requires at least one argument"),
        c("FROM a\nVOLUME [\"\"]", "2:8: VOLUME specified can not be an empty string"),
        c("FROM a\nONBUILD", "2:1: ONBUILD requires at least one argument"),
        c("FROM a\nHEALTHCHECK", "2:1: HEALTHCHECK requires at least one argument"),
        // ENV and LABEL
        c("FROM a\nENV x", "2:5: ENV must have two arguments"),
        c("FROM a\nLABEL x", "2:7: LABEL must have two arguments"),
        c("FROM a\nENV", "2:1: ENV requires at least one argument"),
        c("FROM a\nLABEL a=1 b", "2:11: Syntax error - can't find = in \"b\". Must be of the form: name=value"),
        c("FROM a\nENV A=1 \\\n    B", "3:5: Syntax error - can't find = in \"B\""),
        c("FROM a\nENV =x", "2:5: ENV names can not be blank"),
        c("FROM a\nENV A=1\nLABEL", "3:1: LABEL requires at least one argument"),
        // flags
        c("FROM a\nRUN --mnt=x y", "2:5: unknown flag: mnt"),
        c("FROM a\nCOPY --frm=x a b", "2:6: unknown flag: frm (did you mean from?)"),
        c("FROM --platfrom=linux/arm64 a", "1:6: unknown flag: platfrom (did you mean platform?)"),
        c("FROM a\nWORKDIR --x /a", "2:9: unknown flag: x (WORKDIR takes no flags)"),
        c("FROM a\nCMD --help", "2:5: unknown flag: help (CMD takes no flags)"),
        c("FROM a\nCOPY --link=maybe a b", "2:13: expecting boolean value for flag link, not: maybe"),
        c("FROM a\nCOPY --parents=yes a b", "2:16: expecting boolean value for flag parents"),
        c("FROM a\nCOPY --link= a b", "2:6: missing a value on flag: link"),
        c("FROM a\nCOPY --from=a --from=b x y", "2:15: duplicate flag specified: from"),
        c("FROM a\nRUN --network x", "2:5: missing a value on flag: network"),
        c("FROM a\nCOPY --chmod a b", "2:6: missing a value on flag: chmod"),
        c("FROM a\nCOPY --=x a b", "2:6: flag without a name: --=x"),
        c("FROM a\nCOPY \\\n  --chmd=1 a b", "3:3: unknown flag: chmd (did you mean chmod?)"),
        c("FROM a\nRUN echo \\\n  --x \\\n && y\nCOPY --bad a b", "5:6: unknown flag: bad"),
        c("FROM a\nHEALTHCHECK --interval=abc CMD x", "2:13: invalid duration \"abc\" for --interval"),
        c("FROM a\nHEALTHCHECK --timeout=0.5ms CMD x", "2:13: --timeout cannot be less than 1ms"),
        c("FROM a\nHEALTHCHECK --interval=-5s CMD x", "2:13: --interval cannot be negative"),
        c("FROM a\nHEALTHCHECK --retries=-1 CMD x", "2:13: --retries cannot be negative"),
        c("FROM a\nHEALTHCHECK --retries=three CMD x", "2:13: invalid value \"three\" for --retries"),
        c("FROM a\nHEALTHCHECK --intervall=5s CMD x", "2:13: unknown flag: intervall (did you mean interval?)"),
        // JSON
        c("FROM a\nCMD [\"a\", 1]", "2:5: when using JSON array syntax, arrays must be comprised of strings only"),
        c("FROM a\nRUN [1]", "2:5: when using JSON array syntax"),
        c("FROM a\nENTRYPOINT [\"a\", true]", "2:12: when using JSON array syntax"),
        c("FROM a\nCMD [\"a\", null]", "2:5: when using JSON array syntax"),
        c("FROM a\nCMD [\"a\", {\"k\": [1, 2.5e3]}]", "2:5: when using JSON array syntax"),
        c("FROM a\nCOPY [\"a\", 2]", "2:6: when using JSON array syntax"),
        c("FROM a\nHEALTHCHECK CMD [\"a\", 1]", "2:17: when using JSON array syntax"),
        c("FROM a\nSHELL /bin/sh -c", "2:7: SHELL requires the arguments to be in JSON form"),
        c("FROM a\nSHELL []", "2:7: SHELL requires at least one argument"),
        c("FROM a\nSHELL", "2:1: SHELL requires at least one argument"),
        // ONBUILD and HEALTHCHECK
        c("FROM a\nONBUILD ONBUILD RUN x", "2:9: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
        c("FROM a\nONBUILD FROM b", "2:9: FROM isn't allowed as an ONBUILD trigger"),
        c("FROM a\nonbuild maintainer me", "2:9: MAINTAINER isn't allowed as an ONBUILD trigger"),
        c("FROM a\nONBUILD COPY --bad a b", "2:14: unknown flag: bad"),
        c("FROM a\nHEALTHCHECK NONE x", "2:18: HEALTHCHECK NONE takes no arguments"),
        c("FROM a\nHEALTHCHECK CMD", "2:13: Missing command after HEALTHCHECK CMD"),
        c("FROM a\nHEALTHCHECK CMD []", "2:13: Missing command after HEALTHCHECK CMD"),
        c("FROM a\nHEALTHCHECK FOO x", "2:13: Unknown type \"FOO\" in HEALTHCHECK (try CMD)"),
        // heredocs
        c("FROM a\nRUN <<EOF\nx", "2:5: unterminated heredoc"),
        c("FROM a\nRUN cat <<A <<B\na\nA\nb", "2:13: unterminated heredoc: no line \"B\" closes it"),
        c("FROM a\nRUN <<EOF\nEOF \n", "2:5: unterminated heredoc"),
        c("FROM a\nCOPY a <<EOF\nx\nEOF", "2:6: COPY cannot accept a heredoc as a destination"),
        // directives
        c("# escape=x\nFROM a", "1:1: invalid escape token 'x' does not match ` or \\"),
        c("# escape=\\\n# escape=`\nFROM a", "2:1: only one escape parser directive can be used"),
        c("# syntax=a\n#SYNTAX=b\nFROM a", "2:1: only one syntax parser directive can be used"));
  }

  private static Arguments c(String input, String expected) {
    return Arguments.of(input, expected);
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("cases")
  void reportsLocatedError(String input, String expected) {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> DockerfileParser.parse("Dockerfile", input));
    String message = e.getMessage();
    assertTrue(message.startsWith("Dockerfile:" + expected),
        () -> "expected Dockerfile:" + expected + "\n     got " + message);
    int sep = expected.indexOf(':', expected.indexOf(':') + 1);
    assertTrue(e.reason().startsWith(expected.substring(sep + 2)));
    String[] lc = expected.substring(0, sep).split(":");
    assertEquals(Integer.parseInt(lc[0]), e.range().startLine());
    assertEquals(Integer.parseInt(lc[1]), e.range().startColumn());
    // render() never fails and shows the offending line with a caret
    String rendered = e.render();
    assertTrue(rendered.startsWith(message));
    assertTrue(rendered.contains("^") || input.isBlank(), rendered);
  }
}
