package dev.jbuild.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One instruction per case, from the Dockerfile reference: the text after {@code FROM scratch}
 * and the compact form of the last instruction parsed ({@link Describe}).
 */
class InstructionTableTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // FROM
        c("FROM alpine", "FROM alpine"),
        c("FROM alpine:3.19 AS build", "FROM alpine:3.19 AS build"),
        c("from alpine as build", "FROM alpine AS build"),
        c("FROM alpine AS Build-1.x_y", "FROM alpine AS build-1.x_y"),
        c("FROM --platform=$BUILDPLATFORM golang:1.22 AS builder",
            "FROM --platform=$BUILDPLATFORM golang:1.22 AS builder"),
        c("FROM ${BASE:-debian}:bookworm", "FROM ${BASE:-debian}:bookworm"),
        c("FROM   \t alpine   ", "FROM alpine"),
        c("FROM registry.example:5000/team/app@sha256:abc", "FROM registry.example:5000/team/app@sha256:abc"),
        // ARG
        c("ARG VERSION", "ARG VERSION"),
        c("ARG VERSION=1.0", "ARG VERSION=<1.0>"),
        c("ARG A B=2 C=\"x y\"", "ARG A B=<2> C=<\"x y\">"),
        c("ARG EMPTY=", "ARG EMPTY=<>"),
        c("ARG U=$USER", "ARG U=<$USER>"),
        c("ARG A=a\\ b", "ARG A=<a\\ b>"),
        c("ARG X='single quoted'", "ARG X=<'single quoted'>"),
        // ENV
        c("ENV A=1", "ENV A=<1>"),
        c("ENV A=1 B=\"two words\" C=three\\ words", "ENV A=<1> B=<\"two words\"> C=<three\\ words>"),
        c("ENV LEGACY some value with   spaces", "ENV LEGACY=<some value with   spaces>"),
        c("ENV PATH=/usr/local/bin:$PATH", "ENV PATH=<$PATH>".replace("$PATH>", "/usr/local/bin:$PATH>")),
        c("ENV A=", "ENV A=<>"),
        c("ENV A=x=y", "ENV A=<x=y>"),
        c("env a=1", "ENV a=<1>"),
        c("ENV MY_NAME=\"John Doe\" MY_DOG=Rex\\ The\\ Dog \\\n    MY_CAT=fluffy",
            "ENV MY_NAME=<\"John Doe\"> MY_DOG=<Rex\\ The\\ Dog> MY_CAT=<fluffy>"),
        c("ENV \"quoted key\"=v", "ENV \"quoted key\"=<v>"),
        // LABEL
        c("LABEL version=\"1.0\" description=\"My app\"", "LABEL version=<\"1.0\"> description=<\"My app\">"),
        c("LABEL \"com.example.vendor\"=\"ACME Incorporated\"", "LABEL \"com.example.vendor\"=<\"ACME Incorporated\">"),
        c("LABEL multi.label1=\"value1\" \\\n      multi.label2=\"value2\"",
            "LABEL multi.label1=<\"value1\"> multi.label2=<\"value2\">"),
        c("LABEL org.opencontainers.image.created=$BUILD_DATE",
            "LABEL org.opencontainers.image.created=<$BUILD_DATE>"),
        c("LABEL description=\"This text illustrates \\\nthat label-values can span multiple lines.\"",
            "LABEL description=<\"This text illustrates that label-values can span multiple lines.\">"),
        c("LABEL legacy value", "LABEL legacy=<value>"),
        // RUN
        c("RUN echo hello", "RUN shell<echo hello>"),
        c("RUN [\"echo\", \"hello\"]", "RUN exec[<echo>,<hello>]"),
        c("RUN apt-get update && apt-get install -y --no-install-recommends curl",
            "RUN shell<apt-get update && apt-get install -y --no-install-recommends curl>"),
        c("RUN --mount=type=cache,target=/root/.cache pip install -r req.txt",
            "RUN --mount=type=cache,target=/root/.cache shell<pip install -r req.txt>"),
        c("RUN --mount=type=secret,id=tok --mount=type=ssh --network=none make",
            "RUN --mount=type=secret,id=tok --mount=type=ssh --network=none shell<make>"),
        c("RUN --network=host --security=insecure ls", "RUN --network=host --security=insecure shell<ls>"),
        c("RUN --mount=\"type=bind,source=a b,target=/x\" cat /x",
            "RUN --mount=\"type=bind,source=a b,target=/x\" shell<cat /x>"),
        c("RUN -- --weird-command", "RUN shell<--weird-command>"),
        c("RUN echo # not a comment", "RUN shell<echo # not a comment>"),
        c("RUN echo $HOME \"$PATH\" '$x'", "RUN shell<echo $HOME \"$PATH\" '$x'>"),
        c("run\techo tab", "RUN shell<echo tab>"),
        c("RUN [\"sh\", \"-c\", \"echo $HOME\"]", "RUN exec[<sh>,<-c>,<echo $HOME>]"),
        c("RUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=cache,target=/var/lib/apt \\\n    apt-get update",
            "RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt shell<apt-get update>"),
        // CMD / ENTRYPOINT
        c("CMD [\"executable\",\"param1\",\"param2\"]", "CMD exec[<executable>,<param1>,<param2>]"),
        c("CMD [\"param1\",\"param2\"]", "CMD exec[<param1>,<param2>]"),
        c("CMD command param1 param2", "CMD shell<command param1 param2>"),
        c("CMD []", "CMD exec[]"),
        c("ENTRYPOINT [\"top\", \"-b\"]", "ENTRYPOINT exec[<top>,<-b>]"),
        c("ENTRYPOINT exec top -b", "ENTRYPOINT shell<exec top -b>"),
        c("eNtRyPoInT [\"/docker-entrypoint.sh\"]", "ENTRYPOINT exec[</docker-entrypoint.sh>]"),
        // JSON and its fallback to shell form
        c("CMD [ \"a\" , \"b\" ]", "CMD exec[<a>,<b>]"),
        c("CMD [\"a\" \"b\"]", "CMD shell<[\"a\" \"b\"]>"),
        c("CMD ['a', 'b']", "CMD shell<['a', 'b']>"),
        c("CMD [\"a\",]", "CMD shell<[\"a\",]>"),
        c("CMD [a]", "CMD shell<[a]>"),
        c("CMD [\"a\"] extra", "CMD shell<[\"a\"] extra>"),
        c("CMD [\"unterminated]", "CMD shell<[\"unterminated]>"),
        c("CMD [", "CMD shell<[>"),
        c("RUN [ -f /etc/os-release ] && cat /etc/os-release",
            "RUN shell<[ -f /etc/os-release ] && cat /etc/os-release>"),
        c("CMD [\"a\\tb\", \"c\\\\d\", \"\\u0041\", \"q\\\"\"]", "CMD exec[<a\tb>,<c\\d>,<A>,<q\">]"),
        c("CMD [\"bad escape \\q\"]", "CMD shell<[\"bad escape \\q\"]>"),
        c("CMD [\"tab\tinside\"]", "CMD shell<[\"tab\tinside\"]>"),
        c("CMD [\"a\", 01]", "CMD shell<[\"a\", 01]>"),
        c("CMD [\"a\", \\\n     \"b\"]", "CMD exec[<a>,<b>]"),
        c("CMD [\"caf\u00e9\", \"\ud83d\udc33\"]", "CMD exec[<caf\u00e9>,<\ud83d\udc33>]"),
        c("CMD [\"a:b\", \"{x}\", \"[y]\"]", "CMD exec[<a:b>,<{x}>,<[y]>]"),
        // COPY / ADD
        c("COPY a b", "COPY src=[a] dest=<b>"),
        c("COPY a b c /dest/", "COPY src=[a, b, c] dest=</dest/>"),
        c("COPY [\"a b\", \"/c d/\"]", "COPY src=[a b] dest=</c d/>"),
        c("COPY --from=builder /go/bin/app /usr/local/bin/", "COPY --from=builder src=[/go/bin/app] dest=</usr/local/bin/>"),
        c("COPY --chown=1000:1000 --chmod=755 . /app", "COPY --chown=1000:1000 --chmod=755 src=[.] dest=</app>"),
        c("COPY --chown=\"1000:1000\" a b", "COPY --chown=\"1000:1000\" src=[a] dest=<b>"),
        c("COPY --link src dst", "COPY --link src=[src] dest=<dst>"),
        c("COPY --link=false --parents a/b c", "COPY --link=false --parents src=[a/b] dest=<c>"),
        c("COPY --exclude=*.md --exclude=*.txt . /app", "COPY --exclude=*.md --exclude=*.txt src=[.] dest=</app>"),
        c("COPY \"a b\" 'c d' /x/", "COPY src=[\"a b\", 'c d'] dest=</x/>"),
        c("COPY $SRC ${DEST}", "COPY src=[$SRC] dest=<${DEST}>"),
        c("copy --from=0 a b", "COPY --from=0 src=[a] dest=<b>"),
        c("ADD https://example.com/big.tar.xz /usr/src/things/", "ADD src=[https://example.com/big.tar.xz] dest=</usr/src/things/>"),
        c("ADD --checksum=sha256:24454f83 https://x/y.tar /", "ADD --checksum=sha256:24454f83 src=[https://x/y.tar] dest=</>"),
        c("ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.10.1 /buildkit",
            "ADD --keep-git-dir=true src=[https://github.com/moby/buildkit.git#v0.10.1] dest=</buildkit>"),
        c("ADD [\"a\", \"b\"]", "ADD src=[a] dest=<b>"),
        c("ADD --unpack=true --link a.tar /x", "ADD --unpack=true --link src=[a.tar] dest=</x>"),
        // WORKDIR USER STOPSIGNAL MAINTAINER EXPOSE VOLUME SHELL
        c("WORKDIR /app", "WORKDIR </app>"),
        c("WORKDIR /path with spaces", "WORKDIR </path with spaces>"),
        c("WORKDIR $DIRPATH/$DIRNAME", "WORKDIR <$DIRPATH/$DIRNAME>"),
        c("USER app:app", "USER <app:app>"),
        c("user 1000", "USER <1000>"),
        c("STOPSIGNAL SIGTERM", "STOPSIGNAL <SIGTERM>"),
        c("stopsignal 9", "STOPSIGNAL <9>"),
        c("MAINTAINER John Doe <john@example.com>", "MAINTAINER <John Doe <john@example.com>>"),
        c("EXPOSE 80", "EXPOSE [80]"),
        c("EXPOSE 80/tcp 53/udp 8000-8010 $PORT", "EXPOSE [80/tcp, 53/udp, 8000-8010, $PORT]"),
        c("VOLUME /data", "VOLUME [/data]"),
        c("VOLUME /var/log /var/db", "VOLUME [/var/log, /var/db]"),
        c("VOLUME [\"/data\", \"/other dir\"]", "VOLUME [/data, /other dir]"),
        c("SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]", "SHELL [/bin/bash, -o, pipefail, -c]"),
        c("SHELL [\"powershell\", \"-command\"]", "SHELL [powershell, -command]"),
        // ONBUILD
        c("ONBUILD ADD . /app/src", "ONBUILD -> ADD src=[.] dest=</app/src>"),
        c("ONBUILD RUN /usr/local/bin/python-build --dir /app/src",
            "ONBUILD -> RUN shell</usr/local/bin/python-build --dir /app/src>"),
        c("onbuild copy --from=builder a b", "ONBUILD -> COPY --from=builder src=[a] dest=<b>"),
        c("ONBUILD CMD [\"a\"]", "ONBUILD -> CMD exec[<a>]"),
        c("ONBUILD ENV A=1 B=2", "ONBUILD -> ENV A=<1> B=<2>"),
        // HEALTHCHECK
        c("HEALTHCHECK NONE", "HEALTHCHECK NONE"),
        c("healthcheck none", "HEALTHCHECK NONE"),
        c("HEALTHCHECK CMD curl -f http://localhost/ || exit 1", "HEALTHCHECK shell<curl -f http://localhost/ || exit 1>"),
        c("HEALTHCHECK --interval=5m --timeout=3s CMD curl -f http://localhost/ || exit 1",
            "HEALTHCHECK --interval=5m --timeout=3s shell<curl -f http://localhost/ || exit 1>"),
        c("HEALTHCHECK --interval=30s --timeout=30s --start-period=5s --start-interval=1s --retries=3 CMD [\"/bin/check\"]",
            "HEALTHCHECK --interval=30s --timeout=30s --start-period=5s --start-interval=1s --retries=3 exec[</bin/check>]"),
        c("HEALTHCHECK cmd [\"a\", \"b\"]", "HEALTHCHECK exec[<a>,<b>]"),
        c("HEALTHCHECK CMD [\"a\" b]", "HEALTHCHECK shell<[\"a\" b]>"),
        c("HEALTHCHECK --interval=1m30s --timeout=0 CMD true", "HEALTHCHECK --interval=1m30s --timeout=0 shell<true>"),
        // Continuations, comments and blanks
        c("RUN a \\\n  b", "RUN shell<a   b>"),
        c("RUN a \\   \n b", "RUN shell<a  b>"),
        c("RUN a\\\nb", "RUN shell<ab>"),
        c("RUN a \\\n# comment inside\n  b", "RUN shell<a   b>"),
        c("RUN a \\\n    # indented comment\n  b", "RUN shell<a   b>"),
        c("RUN a \\\n\n   \n  b", "RUN shell<a   b>"),
        c("RUN a \\", "RUN shell<a>"),
        // an escaped escape at the end of a line ends the instruction (BuildKit's continuation rule)
        c("RUN echo \\\\\nRUN x", "RUN shell<x>"),
        c("RUN echo \\\\", "RUN shell<echo \\\\>"),
        c("   RUN indented", "RUN shell<indented>"),
        c("# comment\n\n   # another\nRUN x", "RUN shell<x>"),
        c("RUN a \\\r\n b\r\n", "RUN shell<a  b>"),
        c("RUN \\\n  --mount=type=ssh \\\n  git clone x", "RUN --mount=type=ssh shell<git clone x>"),
        c("C\\\nMD x", "CMD shell<x>"),
        // Heredocs
        c("RUN <<EOF\necho hello\necho world\nEOF", "RUN shell<<<EOF> heredoc(EOF)<echo hello\\necho world\\n>"),
        c("RUN python3 <<EOF\nprint(1)\nEOF", "RUN shell<python3 <<EOF> heredoc(EOF)<print(1)\\n>"),
        c("RUN <<-EOF\n\techo a\n\t\techo b\n\tEOF", "RUN shell<<<-EOF> heredoc(EOF,chomp)<echo a\\necho b\\n>"),
        c("RUN <<'EOF'\necho $HOME\nEOF", "RUN shell<<<'EOF'> heredoc(EOF,noexpand)<echo $HOME\\n>"),
        c("RUN <<\"EOF\"\necho $HOME\nEOF", "RUN shell<<<\"EOF\"> heredoc(EOF,noexpand)<echo $HOME\\n>"),
        c("RUN cat <<A <<B\na\nA\nb\nB", "RUN shell<cat <<A <<B> heredoc(A)<a\\n> heredoc(B)<b\\n>"),
        c("RUN <<EOF bash\n# not a comment\n\nset -e\nEOF", "RUN shell<<<EOF bash> heredoc(EOF)<# not a comment\\n\\nset -e\\n>"),
        c("RUN --mount=type=cache,target=/c <<EOF\nls\nEOF", "RUN --mount=type=cache,target=/c shell<<<EOF> heredoc(EOF)<ls\\n>"),
        c("RUN cat 3<<EOF\nx\nEOF", "RUN shell<cat 3<<EOF> heredoc(EOF)<x\\n>"),
        c("RUN <<EOF\nEOF", "RUN shell<<<EOF> heredoc(EOF)<>"),
        c("RUN <<EOF\r\nx\r\nEOF\r\n", "RUN shell<<<EOF> heredoc(EOF)<x\\n>"),
        c("RUN <<E\"O\"F\nx\nEOF", "RUN shell<<<E\"O\"F> heredoc(EOF,noexpand)<x\\n>"),
        c("RUN echo \"<<EOF\"", "RUN shell<echo \"<<EOF\">"),
        c("RUN cat<<EOF", "RUN shell<cat<<EOF>"),
        c("RUN cat << EOF", "RUN shell<cat << EOF>"),
        c("RUN [\"cat\", \"<<EOF\"]", "RUN exec[<cat>,<<<EOF>]"),
        c("COPY <<EOF /etc/motd\nhello\nEOF", "COPY src=[] dest=</etc/motd> heredoc(EOF)<hello\\n>"),
        c("COPY <<a.txt <<b.txt /dst/\n1\na.txt\n2\nb.txt", "COPY src=[] dest=</dst/> heredoc(a.txt)<1\\n> heredoc(b.txt)<2\\n>"),
        c("COPY local <<EOF /d/\nx\nEOF", "COPY src=[local] dest=</d/> heredoc(EOF)<x\\n>"),
        c("COPY --chmod=755 <<-\"SCRIPT\" /run.sh\n\t#!/bin/sh\n\techo $X\n\tSCRIPT",
            "COPY --chmod=755 src=[] dest=</run.sh> heredoc(SCRIPT,noexpand,chomp)<#!/bin/sh\\necho $X\\n>"),
        c("ADD <<EOF /x\ny\nEOF", "ADD src=[] dest=</x> heredoc(EOF)<y\\n>"),
        c("ONBUILD RUN <<EOF\necho later\nEOF", "ONBUILD -> RUN shell<<<EOF> heredoc(EOF)<echo later\\n>"),
        c("CMD cat <<EOF", "CMD shell<cat <<EOF>"),
        c("RUN <<EOF\nEOF \nEOF", "RUN shell<<<EOF> heredoc(EOF)<EOF \\n>"));
  }

  private static Arguments c(String input, String expected) {
    return Arguments.of(input, expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void parsesInstruction(String input, String expected) throws DockerfileException {
    String text = input.regionMatches(true, 0, "FROM", 0, 4)
        ? input : "FROM scratch\n" + input;
    Dockerfile df = DockerfileParser.parse("Dockerfile", text);
    List<Instruction> all = df.instructions();
    assertEquals(expected, Describe.of(all.get(all.size() - 1)));
  }
}
