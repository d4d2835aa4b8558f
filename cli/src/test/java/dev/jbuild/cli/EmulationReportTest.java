package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.platform.Platform;
import dev.jbuild.progress.ProgressEvent;
import dev.jbuild.progress.ProgressListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmulationReportTest {
  private static final Platform ARM64 = Platform.LINUX_ARM64;

  private static EmulationReport.Step step(String name, String command, int line) {
    return new EmulationReport.Step(name, ARM64, command, Optional.of("Dockerfile:" + line));
  }

  @Test
  void timesOnlyTheEmulatedStepsThatRanAndPassesEveryEventOn() {
    EmulationReport report = new EmulationReport();
    List<ProgressEvent> seen = new ArrayList<>();
    ProgressListener listener = report.watching(seen::add);
    report.watch(Map.of("[linux/arm64 2/3] RUN make", step("[linux/arm64 2/3] RUN make", "RUN make", 2),
        "[linux/arm64 3/3] RUN true", step("[linux/arm64 3/3] RUN true", "RUN true", 3)));
    List<ProgressEvent> events = List.of(
        new ProgressEvent.Started(1, "[linux/amd64 2/3] RUN make"),
        new ProgressEvent.Completed(1, Duration.ofSeconds(1)),
        new ProgressEvent.Started(2, "[linux/arm64 2/3] RUN make"),
        new ProgressEvent.Completed(2, Duration.ofMillis(7250)),
        new ProgressEvent.Cached(3, "[linux/arm64 3/3] RUN true"));
    events.forEach(listener::onEvent);
    assertEquals(events, seen);
    assertEquals(List.of(new EmulationReport.Timed(step("[linux/arm64 2/3] RUN make", "RUN make", 2),
        Duration.ofMillis(7250))), report.timed());
  }

  @Test
  void nothingEmulatedNoReport() {
    assertEquals(Optional.empty(), EmulationReport.render(List.of(), Platform.LINUX_AMD64));
  }

  @Test
  void showsTotalsTheLongestStepsAndHintsAtBuildPlatformStages() {
    List<EmulationReport.Timed> timed = List.of(
        new EmulationReport.Timed(step("a", "RUN echo hi", 4), Duration.ofMillis(300)),
        new EmulationReport.Timed(step("b", "RUN apt-get update && \\\n    apt-get install -y golang-go", 5),
            Duration.ofMillis(19_400)),
        new EmulationReport.Timed(step("c", "RUN go build -o /app .", 7), Duration.ofMillis(8_100)),
        new EmulationReport.Timed(step("d", "RUN ls", 8), Duration.ofMillis(100)));
    String expected = """
        Emulation: 27.9s of RUN steps ran under QEMU on this linux/amd64 host (typically 3-20x slower than native)
          linux/arm64: 27.9s in 4 steps, the longest:
             19.4s  Dockerfile:5  RUN apt-get update && apt-get install -y golang-go
              8.1s  Dockerfile:7  RUN go build -o /app .
              0.3s  Dockerfile:4  RUN echo hi
          hint: the steps at Dockerfile:5, Dockerfile:7 install packages or build code under emulation; a stage \
        `FROM --platform=$BUILDPLATFORM ...` runs natively (cross-compile with TARGETOS/TARGETARCH, fetch \
        arch-independent files) and the target stage can COPY --from it
        """;
    assertEquals(Optional.of(expected), EmulationReport.render(timed, Platform.LINUX_AMD64));
  }
}
