package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.testkit.Processes;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * samples/go-cross: a {@code FROM --platform=$BUILDPLATFORM} Go stage that cross-compiles with
 * GOOS/GOARCH from TARGETOS/TARGETARCH. The compiler runs natively once per build; its
 * target-independent step runs once for both platforms, and each image gets its own architecture.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleGoCrossTest {
  @RegisterExtension static final SampleRun.Extension run = new SampleRun.Extension("go-cross");
  static SampleRun sample;
  static String firstDigest;

  @BeforeAll
  static void start() throws Exception {
    sample = run.get();
  }

  @Test
  @Order(1)
  void theBuilderStageRunsOnTheBuildPlatform() throws Exception {
    Processes.Result r = sample.build("cold");
    firstDigest = sample.indexDigest();
    Map<String, String> outcomes = PlainProgress.outcomes(r.stderr());
    assertEquals(1, outcomes.keySet().stream().filter(k -> k.endsWith("RUN go vet ./... && go version > /go-version")).count(),
        "the target-independent step runs once for both platforms:\n" + r.stderr());
    assertEquals(2, outcomes.keySet().stream().filter(k -> k.contains("go build -ldflags")).count(),
        "one cross-compile per target:\n" + r.stderr());
    assertEquals(62, SampleRun.elfMachine(sample.unpack("amd64").resolve("whoami")));
    assertEquals(183, SampleRun.elfMachine(sample.unpack("arm64").resolve("whoami")));
  }

  @Test
  @Order(2)
  void podmanRunsEachArchitecturesBinary() {
    for (String arch : new String[] {"amd64", "arm64"}) {
      Processes.Result r = sample.podman.run("linux/" + arch, sample.image()).assertSuccess();
      assertEquals("whoami: linux/" + arch + ", compiled on linux/amd64", r.stdout().strip());
    }
  }

  @Test
  @Order(3)
  void theRebuildIsCached() {
    sample.assertFullyCached(sample.build("cached"), firstDigest);
  }
}
