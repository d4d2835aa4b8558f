package dev.jbuild.bench.parser;

/** A large, realistic Dockerfile: stages, continuations, heredocs, JSON and flags. */
final class GeneratedDockerfile {
  private GeneratedDockerfile() {}

  /** A Dockerfile of exactly {@code instructions} instructions. */
  static String of(int instructions) {
    StringBuilder sb = new StringBuilder("# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended\n");
    sb.append("ARG BASE=debian:bookworm-slim\nARG VERSION=1.0.0\n");
    int n = 2;
    int stage = 0;
    while (n < instructions) {
      int left = instructions - n;
      switch (n % 20) {
        case 2:
          sb.append("\n# stage ").append(stage).append('\n');
          sb.append("FROM --platform=$BUILDPLATFORM ${BASE} AS stage").append(stage++).append('\n');
          break;
        case 3:
          sb.append("ARG TARGETARCH\n");
          break;
        case 4:
          sb.append("ENV APP_HOME=/opt/app PATH=/opt/app/bin:$PATH LANG=C.UTF-8 VERSION=${VERSION}\n");
          break;
        case 5:
          sb.append("WORKDIR /opt/app\n");
          break;
        case 6:
          sb.append("RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n")
              .append("    apt-get update && \\\n")
              .append("    # packages for the build\n")
              .append("    apt-get install -y --no-install-recommends ca-certificates curl git make gcc && \\\n")
              .append("    rm -rf /var/lib/apt/lists/*\n");
          break;
        case 7:
          sb.append("COPY --chown=1000:1000 --chmod=0755 --link [\"src/main\", \"src/lib dir\", \"/opt/app/src/\"]\n");
          break;
        case 8:
          sb.append("COPY --from=stage0 /opt/app/bin/ /usr/local/bin/\n");
          break;
        case 9:
          sb.append("RUN <<EOF\nset -eux\nmake -C /opt/app -j\"$(nproc)\"\ninstall -m 0755 build/app /opt/app/bin/app\nEOF\n");
          break;
        case 10:
          sb.append("LABEL org.opencontainers.image.version=\"${VERSION}\" \\\n")
              .append("      org.opencontainers.image.title=\"app ").append(n).append("\"\n");
          break;
        case 11:
          sb.append("EXPOSE 8080/tcp 9090/udp\n");
          break;
        case 12:
          sb.append("RUN [\"/bin/sh\", \"-c\", \"echo built ").append(n).append(" > /opt/app/BUILT\"]\n");
          break;
        case 13:
          sb.append("COPY <<-CONF /etc/app/app.conf\n\tlisten = 0.0.0.0:8080\n\tlevel = ${LOG_LEVEL:-info}\n\tCONF\n");
          break;
        case 14:
          sb.append("USER 1000:1000\n");
          break;
        case 15:
          sb.append("ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d ")
              .append("https://example.com/archive-").append(n).append(".tar.gz /tmp/\n");
          break;
        case 16:
          sb.append("HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD [\"curl\", \"-fsS\", \"http://localhost:8080/health\"]\n");
          break;
        case 17:
          sb.append("VOLUME [\"/var/lib/app\"]\n");
          break;
        case 18:
          sb.append("ENTRYPOINT [\"/opt/app/bin/app\"]\n");
          break;
        default:
          sb.append("CMD [\"serve\", \"--port\", \"8080\"]\n");
          break;
      }
      n++;
      if (left == 0) {
        break;
      }
    }
    return sb.toString();
  }
}
