package dev.jbuild.bench.parser;

import dev.jbuild.parser.Dockerfile;
import dev.jbuild.parser.DockerfileParser;
import dev.jbuild.parser.Linter;

/** Run in a fresh JVM by {@link ColdStartBenchmark}: {@code parse} or {@code none}. */
public final class ColdStartMain {
  private static final String SMALL = "# syntax=docker/dockerfile:1\n"
      + "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
      + "WORKDIR /src\n"
      + "COPY go.mod go.sum ./\n"
      + "RUN --mount=type=cache,target=/go/pkg/mod go mod download\n"
      + "COPY . .\n"
      + "RUN <<EOF\nCGO_ENABLED=0 go build -o /out/app .\nEOF\n"
      + "FROM scratch\n"
      + "COPY --from=build /out/app /app\n"
      + "ENV PORT=8080\n"
      + "EXPOSE 8080\n"
      + "ENTRYPOINT [\"/app\"]\n";

  private ColdStartMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("parse")) {
      Dockerfile df = DockerfileParser.parse("Dockerfile", SMALL);
      if (df.instructions().size() != 11 || Linter.lint(df).size() != 0) {
        throw new IllegalStateException("unexpected parse of the small Dockerfile");
      }
    } else if (!(args.length == 1 && args[0].equals("none"))) {
      throw new IllegalArgumentException("usage: ColdStartMain parse|none");
    }
  }
}
