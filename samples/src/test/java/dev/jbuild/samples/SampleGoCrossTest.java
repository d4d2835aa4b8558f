package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * samples/go-cross: a {@code FROM --platform=$BUILDPLATFORM} Go stage that cross-compiles with
 * GOOS/GOARCH from TARGETOS/TARGETARCH. The compiler runs natively once per build; its
 * target-independent step runs once for both platforms, and each image gets its own architecture.
 */
@ExtendWith(RegistryExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleGoCrossTest {
  @TempDir static Path work;
  static SampleRun sample;
  static String firstDigest;

  @BeforeAll
  static void start(TestRegistry registry) throws Exception {
    sample = SampleRun.start("go-cross", registry, work);
  }

  @AfterAll
  static void stop() {
    if (sample != null) {
      sample.close();
    }
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
