package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.testkit.BaseImages;
import dev.jbuild.testkit.Processes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Seed 000's label injection (samples/ci-labels): the CI step passes the build date and the git
 * commit as build args, the labels carry them into both platforms' image configs, the args do not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleCiLabelsTest {
  private static final Map<String, String> MACHINE = Map.of("amd64", "x86_64", "arm64", "aarch64");
  @RegisterExtension static final SampleRun.Extension run = new SampleRun.Extension("ci-labels");
  static SampleRun sample;
  static String commit;
  static final String BUILD_DATE = "2026-12-01T09:30:00Z";

  @BeforeAll
  static void start() throws Exception {
    sample = run.get();
    commit = Processes.run(List.of("git", "-C", BaseImages.projectRoot().toString(), "rev-parse", "HEAD"))
        .assertSuccess().stdout().strip();
  }

  @Test
  @Order(1)
  void theLabelsCarryTheInjectedDateAndCommit() throws Exception {
    sample.build("cold", "--build-arg", "BUILD_DATE=" + BUILD_DATE, "--build-arg", "GIT_COMMIT=" + commit);
    for (String arch : MACHINE.keySet()) {
      JsonNode config = sample.config(arch).get("config");
      JsonNode labels = config.get("Labels");
      assertEquals(BUILD_DATE, labels.get("createdAt").asText());
      assertEquals("build date: " + BUILD_DATE + ", git commit: " + commit, labels.get("version").asText());
      assertEquals("jbuild sample: labels injected from CI", labels.get("description").asText());
      assertEquals(BUILD_DATE, labels.get("org.opencontainers.image.created").asText());
      assertEquals(commit, labels.get("org.opencontainers.image.revision").asText());
      assertFalse(config.get("Env").toString().contains(commit), "ARG values stay out of the environment");
    }
  }

  @Test
  @Order(2)
  void podmanRunsItAndSeesTheLabels() {
    for (Map.Entry<String, String> e : MACHINE.entrySet()) {
      assertEquals("ci-labels on " + e.getValue(),
          sample.podman.run("linux/" + e.getKey(), sample.image()).assertSuccess().stdout().strip());
    }
    assertEquals(commit, sample.podman.imageLabel(sample.image(), "org.opencontainers.image.revision"));
  }

  @Test
  @Order(3)
  void anotherCommitChangesOnlyTheConfig() throws Exception {
    Processes.Result r = sample.build("cached", "--build-arg", "BUILD_DATE=" + BUILD_DATE,
        "--build-arg", "GIT_COMMIT=0123456789abcdef");
    assertEquals("0123456789abcdef", sample.config("arm64").get("config").get("Labels")
        .get("org.opencontainers.image.revision").asText());
    assertFalse(PlainProgress.outcomes(r.stderr()).entrySet().stream()
        .anyMatch(e -> e.getKey().matches("\\[.*\\] (COPY|WORKDIR) .*") && !e.getValue().equals("CACHED")),
        "labels do not invalidate the filesystem steps:\n" + r.stderr());
  }
}
