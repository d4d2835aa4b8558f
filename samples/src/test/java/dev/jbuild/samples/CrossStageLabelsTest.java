package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain progress of a two-platform build with a builder stage on the build platform, named as
 * BuildKit's Dockerfile frontend names steps (its prefixCommand/formatTargetPlatform): the builder's
 * shared steps appear once under the build platform, its steps after ARG TARGETARCH say which target
 * they build for ({@code linux/amd64->arm64}), the final stages carry their own target platform.
 */
class CrossStageLabelsTest {
  private static final Pattern STEP = Pattern.compile("^#(\\d+) (\\[linux/.*)$");

  @TempDir static Path work;
  static Path context;

  @BeforeAll
  static void environment() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireOneOf("runc", "runc", "crun");
    context = BusyboxContexts.withRootfs(work.resolve("ctx"), Platform.LINUX_AMD64, "rootfs");
    Files.writeString(context.resolve("Dockerfile"), """
        FROM --platform=$BUILDPLATFORM scratch AS builder
        COPY rootfs/ /
        RUN echo shared > /shared
        ARG TARGETARCH
        RUN echo $TARGETARCH > /arch
        FROM scratch
        COPY --from=builder /shared /arch /
        """);
  }

  @Test
  void aBuilderStageSharedByBothTargetsIsLabelledWithTheBuildPlatform() throws Exception {
    Path out = work.resolve("out");
    Processes.Result r = Cli.jbuild(work.resolve("store"), "build", "--progress=plain",
        "--platform", "linux/amd64,linux/arm64", "-o", "type=local,dest=" + out, context.toString()).assertSuccess();
    Map<Integer, String> steps = new LinkedHashMap<>();
    for (String line : r.stderr().split("\n")) {
      Matcher m = STEP.matcher(line);
      if (m.matches()) {
        steps.putIfAbsent(Integer.parseInt(m.group(1)), m.group(2));
      }
    }
    assertEquals(List.of(
            "[linux/amd64 1/1] COPY --from=builder /shared /arch /",
            "[linux/amd64 builder 1/3] COPY rootfs/ /",
            "[linux/amd64 builder 2/3] RUN echo shared > /shared",
            "[linux/amd64 builder 3/3] RUN echo $TARGETARCH > /arch",
            "[linux/amd64->arm64 builder 3/3] RUN echo $TARGETARCH > /arch",
            "[linux/arm64 1/1] COPY --from=builder /shared /arch /"),
        steps.values().stream().sorted().toList(), r.stderr());
    assertEquals("amd64", Files.readString(out.resolve("linux_amd64/arch")).strip());
    assertEquals("arm64", Files.readString(out.resolve("linux_arm64/arch")).strip());
    assertEquals("shared", Files.readString(out.resolve("linux_arm64/shared")).strip());
  }
}
