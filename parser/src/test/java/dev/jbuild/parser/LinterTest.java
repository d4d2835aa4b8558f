package dev.jbuild.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Build checks, one Dockerfile per case, written from the BuildKit build-checks reference:
 * the expected warnings as {@code line Rule: message}, in source order ({@code ""} for none).
 */
class LinterTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // clean files
        c("FROM alpine\nRUN echo hi\nCMD [\"sh\"]", ""),
        c("from alpine\nrun echo hi\ncmd [\"sh\"]", ""),
        // ConsistentInstructionCasing
        c("FROM alpine\nRun echo hi",
            "2 ConsistentInstructionCasing: Command 'Run' should match the case of the command majority (uppercase)"),
        c("from alpine\nrun a\nRUN b",
            "3 ConsistentInstructionCasing: Command 'RUN' should match the case of the command majority (lowercase)"),
        c("FROM alpine\nrun a",
            "2 ConsistentInstructionCasing: Command 'run' should match the case of the command majority (uppercase)"),
        c("From alpine\nRun echo hello\nEntRYpOiNT [\"cat\"]",
            "1 ConsistentInstructionCasing: Command 'From' should match the case of the command majority (uppercase)\n"
                + "2 ConsistentInstructionCasing: Command 'Run' should match the case of the command majority (uppercase)\n"
                + "3 ConsistentInstructionCasing: Command 'EntRYpOiNT' should match the case of the command majority (uppercase)"),
        // FromAsCasing
        c("FROM debian:latest as builder", "1 FromAsCasing: 'as' and 'FROM' keywords' casing do not match"),
        c("from debian AS builder", "1 FromAsCasing: 'AS' and 'from' keywords' casing do not match"),
        c("FROM debian As builder", "1 FromAsCasing: 'As' and 'FROM' keywords' casing do not match"),
        c("FROM debian AS deb-builder", ""),
        c("from debian as deb-builder", ""),
        // StageNameCasing
        c("FROM alpine AS Builder", "1 StageNameCasing: Stage name 'Builder' should be lowercase"),
        // ReservedStageName
        c("FROM alpine AS scratch", "1 ReservedStageName: 'scratch' is reserved and should not be used as a stage name"),
        c("FROM alpine AS context", "1 ReservedStageName: 'context' is reserved and should not be used as a stage name"),
        // DuplicateStageName
        c("FROM debian AS builder\nFROM golang AS builder",
            "2 DuplicateStageName: Duplicate stage name 'builder', stage names should be unique"),
        c("FROM debian AS builder\nFROM golang AS BUILDER",
            "2 StageNameCasing: Stage name 'BUILDER' should be lowercase\n"
                + "2 DuplicateStageName: Duplicate stage name 'builder', stage names should be unique"),
        c("FROM debian AS deb-builder\nFROM golang AS go-builder", ""),
        // JSONArgsRecommended
        c("FROM alpine\nENTRYPOINT my-program start",
            "2 JSONArgsRecommended: JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals"),
        c("FROM alpine\nCMD echo \"Hello, world!\"",
            "2 JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals"),
        c("FROM alpine\nENTRYPOINT [\"my-program\", \"start\"]", ""),
        c("FROM alpine\nSHELL [\"/bin/bash\", \"-c\"]\nCMD echo hi", ""),
        c("FROM alpine AS base\nSHELL [\"/bin/bash\", \"-c\"]\nFROM base\nCMD echo hi", ""),
        c("FROM alpine\nHEALTHCHECK CMD curl -f http://localhost/", ""),
        c("FROM alpine\nCMD [not json]",
            "2 JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals"),
        // MaintainerDeprecated
        c("FROM alpine\nMAINTAINER moby@example.com",
            "2 MaintainerDeprecated: MAINTAINER instruction is deprecated in favor of using label"),
        c("FROM alpine\nLABEL org.opencontainers.image.authors=\"moby@example.com\"", ""),
        // MultipleInstructionsDisallowed
        c("FROM alpine\nENTRYPOINT [\"echo\", \"Hello, Norway!\"]\nENTRYPOINT [\"echo\", \"Hello, Sweden!\"]",
            "2 MultipleInstructionsDisallowed: Multiple ENTRYPOINT instructions should not be used in the same stage because only the last one will be used"),
        c("FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\nCMD [\"c\"]",
            "2 MultipleInstructionsDisallowed: Multiple CMD instructions should not be used in the same stage because only the last one will be used\n"
                + "3 MultipleInstructionsDisallowed: Multiple CMD instructions should not be used in the same stage because only the last one will be used"),
        c("FROM alpine\nHEALTHCHECK NONE\nHEALTHCHECK CMD [\"true\"]",
            "2 MultipleInstructionsDisallowed: Multiple HEALTHCHECK instructions should not be used in the same stage because only the last one will be used"),
        c("FROM python:alpine\nHEALTHCHECK --interval=1s CMD [\"curl\", \"-f\", \"http://localhost:8080\"]\nCMD [\"python\", \"-m\", \"http.server\"]", ""),
        c("FROM alpine AS a\nCMD [\"a\"]\nFROM alpine\nCMD [\"b\"]", ""),
        // UndefinedArgInFrom
        c("FROM node:22${VARIANT} AS jsbuilder",
            "1 UndefinedArgInFrom: FROM argument 'VARIANT' is not declared"),
        c("ARG VARIANT=\"-alpine3.20\"\nFROM node:22${VARIANT} AS jsbuilder", ""),
        c("FROM --platform=$BULIDPLATFORM alpine",
            "1 UndefinedArgInFrom: FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)"),
        c("FROM --platform=$BUILDPLATFORM golang AS build", ""),
        c("ARG VERSION=1\nFROM alpine:$VERSOIN",
            "2 UndefinedArgInFrom: FROM argument 'VERSOIN' is not declared (did you mean VERSION?)\n"
                + "2 InvalidDefaultArgInFrom: Default value for ARG alpine:$VERSOIN results in empty or invalid base image name"),
        // InvalidDefaultArgInFrom
        c("ARG TAG\nFROM busybox:${TAG}",
            "2 InvalidDefaultArgInFrom: Default value for ARG busybox:${TAG} results in empty or invalid base image name"),
        c("ARG TAG=latest\nFROM busybox:${TAG}", ""),
        c("ARG VARIANT\nFROM busybox:stable${VARIANT}", ""),
        c("ARG TAG\nFROM alpine:${TAG:-3.14}", ""),
        c("ARG BASE_IMAGE\nFROM $BASE_IMAGE",
            "2 InvalidDefaultArgInFrom: Default value for ARG $BASE_IMAGE results in empty or invalid base image name"),
        c("FROM --platform=linux/amd64 alpine AS build_amd64\nFROM --platform=linux/arm64 alpine AS build_arm64\n"
            + "FROM build_${TARGETARCH} AS build", ""),
        c("FROM alpine AS base\nARG S=base\nFROM scratch", ""),
        // FromPlatformFlagConstDisallowed
        c("FROM --platform=linux/amd64 alpine AS base",
            "1 FromPlatformFlagConstDisallowed: FROM --platform flag should not use constant value \"linux/amd64\""),
        c("FROM --platform=linux/amd64 alpine",
            "1 FromPlatformFlagConstDisallowed: FROM --platform flag should not use constant value \"linux/amd64\""),
        c("FROM --platform=${BUILDPLATFORM} alpine AS base", ""),
        c("FROM --platform=linux/arm64 alpine AS build-arm64", ""),
        c("FROM --platform=linux/arm64 alpine AS linux-stuff", ""),
        // RedundantTargetPlatform
        c("FROM --platform=$TARGETPLATFORM alpine AS builder",
            "1 RedundantTargetPlatform: Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior"),
        c("FROM --platform=${TARGETPLATFORM} alpine",
            "1 RedundantTargetPlatform: Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior"),
        // SecretsUsedInArgOrEnv
        c("FROM scratch\nARG AWS_SECRET_ACCESS_KEY",
            "2 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ARG \"AWS_SECRET_ACCESS_KEY\")"),
        c("FROM alpine\nENV GITHUB_TOKEN=x",
            "2 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV \"GITHUB_TOKEN\")"),
        c("ARG DB_PASSWORD\nFROM alpine",
            "1 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ARG \"DB_PASSWORD\")"),
        c("FROM alpine\nENV PUBLIC_KEY=abc", ""),
        c("FROM alpine\nARG KEYBOARD_LAYOUT=us\nARG MONKEY=1", ""),
        c("FROM alpine\nENV apikey=1 auth_method=x",
            "2 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV \"apikey\")\n"
                + "2 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV \"auth_method\")"),
        // WorkdirRelativePath
        c("FROM nginx AS web\nWORKDIR usr/share/nginx/html",
            "2 WorkdirRelativePath: Relative workdir 'usr/share/nginx/html' can have unexpected results if the base image changes"),
        c("FROM nginx AS web\nWORKDIR /usr/share/nginx/html\nWORKDIR html", ""),
        c("FROM alpine AS base\nWORKDIR /app\nFROM base\nWORKDIR src", ""),
        c("FROM alpine\nWORKDIR $SOMEWHERE", ""),
        c("FROM scratch\nENV D=/data\nWORKDIR $D\nWORKDIR sub", ""),
        c("FROM scratch\nENV D=data\nWORKDIR $D",
            "3 WorkdirRelativePath: Relative workdir 'data' can have unexpected results if the base image changes"),
        c("FROM alpine\nWORKDIR C:\\\\app", ""),
        // NoEmptyContinuation
        c("FROM alpine\nRUN apk add \\\n\n    gnupg \\\n\n    curl",
            "2 NoEmptyContinuation: Empty continuation line found in: RUN apk add     gnupg     curl"),
        c("FROM alpine\nEXPOSE \\\n# Port\n80", ""),
        c("FROM alpine\nEXPOSE \\\n   \n80", "2 NoEmptyContinuation: Empty continuation line found in: EXPOSE 80"),
        // LegacyKeyValueFormat
        c("FROM alpine\nENV DEPS curl git",
            "2 LegacyKeyValueFormat: \"ENV key=value\" should be used instead of legacy \"ENV key value\" format"),
        c("FROM alpine\nLABEL maintainer me",
            "2 LegacyKeyValueFormat: \"LABEL key=value\" should be used instead of legacy \"LABEL key value\" format"),
        c("FROM alpine\nENV DEPS=\"curl git\"", ""),
        c("FROM alpine\nARG foo bar", ""),
        // ExposeProtoCasing, ExposeInvalidFormat
        c("FROM alpine\nEXPOSE 80/TcP",
            "2 ExposeProtoCasing: Defined protocol '80/TcP' in EXPOSE instruction should be lowercase"),
        c("FROM alpine\nEXPOSE 80/tcp 53/udp", ""),
        c("FROM alpine\nEXPOSE 127.0.0.1:80:80",
            "2 ExposeInvalidFormat: EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'"),
        c("FROM alpine\nEXPOSE 80:80/UDP",
            "2 ExposeInvalidFormat: EXPOSE instruction should not define an IP address or host-port mapping, found '80:80/UDP'\n"
                + "2 ExposeProtoCasing: Defined protocol '80:80/UDP' in EXPOSE instruction should be lowercase"),
        c("FROM scratch\nENV P=8080/TCP\nEXPOSE $P",
            "3 ExposeProtoCasing: Defined protocol '8080/TCP' in EXPOSE instruction should be lowercase"),
        // UndefinedVar: decidable on scratch (the base image's variables are unknown otherwise)
        c("FROM scratch AS base\nCOPY $foo .", "2 UndefinedVar: Usage of undefined variable '$foo'"),
        c("FROM scratch AS base\nARG foo\nCOPY $foo .", ""),
        c("FROM scratch AS base\nARG VERSION=$foo", "2 UndefinedVar: Usage of undefined variable '$foo'"),
        c("FROM python AS base\nARG VERSION=$PYTHON_VERSION", ""),
        c("FROM scratch\nENV PATH=$PAHT:/app/bin",
            "2 UndefinedVar: Usage of undefined variable '$PAHT' (did you mean $PATH?)"),
        c("FROM scratch\nENV PATH=$PATH:/app/bin", ""),
        c("FROM scratch\nRUN echo $nothing\nCMD echo $nothing2",
            "3 JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals"),
        c("FROM scratch\nENV A=1 B=$A", "2 UndefinedVar: Usage of undefined variable '$A'"),
        c("FROM scratch\nENV A=1\nENV B=$A", ""),
        c("ARG V=1\nFROM scratch\nLABEL v=$V", "3 UndefinedVar: Usage of undefined variable '$V'"),
        c("ARG V=1\nFROM scratch\nARG V\nLABEL v=$V", ""),
        c("FROM scratch\nWORKDIR /x\nUSER ${USERNAME:-app}", "3 UndefinedVar: Usage of undefined variable '$USERNAME'"),
        c("FROM scratch\nCOPY --chown=$UID:0 a /b", "2 UndefinedVar: Usage of undefined variable '$UID'"),
        c("FROM scratch\nARG TARGETARCH\nCOPY bin-$TARGETARCH /bin/app", ""),
        c("FROM scratch AS a\nENV X=1\nFROM a\nCOPY $X /", ""),
        c("FROM scratch\nCOPY '$literal' /", ""));
  }

  private static Arguments c(String dockerfile, String expected) {
    return Arguments.of(dockerfile, expected);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void warnings(String text, String expected) throws Exception {
    assertEquals(expected, describe(Linter.lint(DockerfileParser.parse("Dockerfile", text))), text);
  }

  static String describe(List<LintWarning> warnings) {
    return warnings.stream().map(w -> w.range().startLine() + " " + w.rule() + ": " + w.message())
        .collect(Collectors.joining("\n"));
  }

  @ParameterizedTest
  @MethodSource("checkDirectives")
  void checkDirectiveSkipsRules(String directive, String expectedRules) throws Exception {
    String text = directive + "\nFROM alpine as Base\nMAINTAINER me\nCmd run\n";
    List<LintWarning> warnings = Linter.lint(DockerfileParser.parse("Dockerfile", text));
    assertEquals(expectedRules, warnings.stream().map(LintWarning::rule).distinct().sorted()
        .collect(Collectors.joining(",")), directive);
  }

  static Stream<Arguments> checkDirectives() {
    String all = "ConsistentInstructionCasing,FromAsCasing,JSONArgsRecommended,MaintainerDeprecated,StageNameCasing";
    return Stream.of(
        Arguments.of("# syntax=docker/dockerfile:1", all),
        Arguments.of("# check=skip=all", ""),
        Arguments.of("# check=skip=MaintainerDeprecated", all.replace("MaintainerDeprecated,", "")),
        Arguments.of("# check=skip=MaintainerDeprecated,JSONArgsRecommended",
            "ConsistentInstructionCasing,FromAsCasing,StageNameCasing"),
        Arguments.of("#check = skip = StageNameCasing ; error=false", all.replace(",StageNameCasing", "")),
        Arguments.of("# check=skip=maintainerdeprecated", all), // rule names are case-sensitive
        Arguments.of("# check=error=true", all));
  }

  @Test
  void warningsCarryDescriptionAndUrl() throws Exception {
    LintWarning w = Linter.lint(DockerfileParser.parse("Dockerfile", "FROM a\nCMD x")).get(0);
    assertEquals("JSONArgsRecommended", w.rule());
    assertEquals("https://docs.docker.com/go/dockerfile/rule/json-args-recommended/", w.url());
    assertEquals("JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
        w.description());
    assertEquals(new SourceRange(2, 1, 2, 5), w.range());
    assertEquals("JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior "
        + "related to OS signals (line 2)", w.summary());
  }

  @Test
  void everyRuleHasADocumentationLink() {
    assertEquals("https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/",
        LintRule.FROM_PLATFORM_FLAG_CONST_DISALLOWED.url());
    assertEquals("https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/", LintRule.UNDEFINED_ARG_IN_FROM.url());
    assertEquals("https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/", LintRule.EXPOSE_PROTO_CASING.url());
    for (LintRule r : LintRule.values()) {
      assertTrue(r.url().matches("https://docs\\.docker\\.com/go/dockerfile/rule/[a-z]+(-[a-z]+)*/"), r.url());
      assertEquals(r, LintRule.named(r.ruleName));
    }
  }

  @Test
  void errorTrueFailsWithEveryViolationListed() throws Exception {
    Dockerfile df = DockerfileParser.parse("Dockerfile", "# check=error=true\nFROM a\nMAINTAINER me\nCMD x\n");
    CheckConfig config = CheckConfig.of(df);
    assertTrue(config.error());
    List<LintWarning> warnings = Linter.lint(df);
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> Linter.failOnWarnings(df, config, warnings));
    assertEquals("Dockerfile:3:1: lint violation found for rules: MaintainerDeprecated, JSONArgsRecommended\n"
        + "  MaintainerDeprecated: MAINTAINER instruction is deprecated in favor of using label (line 3)\n"
        + "  JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 4)",
        e.getMessage());
  }

  @Test
  void withoutErrorTrueWarningsDoNotFail() throws Exception {
    Dockerfile df = DockerfileParser.parse("Dockerfile", "FROM a\nCMD x\n");
    Linter.failOnWarnings(df, CheckConfig.of(df), Linter.lint(df));
    Linter.failOnWarnings(df, new CheckConfig(Set.of(), true), List.of());
  }

  @Test
  void badCheckDirectiveIsAnError() throws Exception {
    Dockerfile df = DockerfileParser.parse("Dockerfile", "# check=error=maybe\nFROM a\n");
    DockerfileException e = assertThrows(DockerfileException.class, () -> Linter.lint(df));
    assertTrue(e.getMessage().contains("invalid boolean value \"maybe\" for error"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CheckConfig.parse("skip"));
    assertThrows(IllegalArgumentException.class, () -> CheckConfig.parse("frobnicate=1"));
  }

  @Test
  void checkConfigParsing() {
    CheckConfig c = CheckConfig.parse("skip=A, B ;error=1;experimental=all");
    assertEquals(Set.of("A", "B"), c.skip());
    assertTrue(c.error());
    assertFalse(c.checks("A"));
    assertTrue(c.checks("C"));
    assertFalse(CheckConfig.parse("skip=all").checks("C"));
    assertFalse(CheckConfig.parse("error=false").error());
  }

  @Test
  void knownImageEnvironmentMakesUndefinedVarDecidable() throws Exception {
    Dockerfile df = DockerfileParser.parse("Dockerfile", "FROM python:3.12\nENV P=$PYTHON_VERSION Q=$NOPE\n");
    List<LintWarning> none = Linter.lint(df);
    assertEquals("", describe(none));
    List<LintWarning> some = Linter.lint(df, CheckConfig.DEFAULT,
        image -> image.equals("python:3.12") ? Set.of("PATH", "PYTHON_VERSION") : null);
    assertEquals("2 UndefinedVar: Usage of undefined variable '$NOPE'", describe(some));
  }

  @ParameterizedTest
  @MethodSource("references")
  void imageReferences(String reference, boolean valid) {
    assertEquals(valid, Linter.isImageReference(reference), reference);
  }

  static Stream<Arguments> references() {
    return Stream.of(
        Arguments.of("alpine", true), Arguments.of("alpine:3.20", true),
        Arguments.of("registry.example:5000/team/app:1.0", true),
        Arguments.of("busybox@sha256:" + "a".repeat(64), true),
        Arguments.of("localhost/x_y__z-w", true), Arguments.of("busybox:", false),
        Arguments.of("", false), Arguments.of("Alpine", false), Arguments.of(":tag", false),
        Arguments.of("a@sha256:xyz", false), Arguments.of("a b", false));
  }
}
