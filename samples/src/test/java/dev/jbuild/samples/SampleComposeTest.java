package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * samples/compose, built as a compose user builds it: {@code jbuild bake -f docker-compose.yml
 * --push}. Every service with a {@code build:} section is built from that section (context,
 * dockerfile, args, platforms) in one solve, pushed for both platforms, and run by podman.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleComposeTest {
  @RegisterExtension static final SampleRun.Extension run = new SampleRun.Extension("compose");
  static SampleRun sample;
  static Map<String, Map<String, String>> firstManifests;

  @BeforeAll
  static void start() throws Exception {
    sample = run.get();
  }

  private static String image(String service) {
    return sample.mirror.hostPort() + "/samples/compose-" + service + ":latest";
  }

  /** The pushed tags in place of the file's {@code image:} names (docker.io), and both platforms for whoami. */
  private static Processes.Result bake(String phase) {
    return sample.bake(phase, sample.dir().resolve("docker-compose.yml"),
        "--set", "whoami.tags=" + image("whoami"), "--set", "app.tags=" + image("app"),
        "--set", "whoami.platform=linux/amd64,linux/arm64");
  }

  private static Map<String, Map<String, String>> manifests() throws Exception {
    return Map.of("whoami", sample.manifests(image("whoami")), "app", sample.manifests(image("app")));
  }

  @Test
  @Order(1)
  void bakeBuildsEveryServiceFromItsBuildSection() throws Exception {
    Processes.Result r = bake("cold");
    Map<String, String> outcomes = PlainProgress.outcomes(r.stderr());
    assertEquals(2, outcomes.keySet().stream().filter(k -> k.contains("go build -ldflags")).count(),
        "whoami cross-compiled once per platform:\n" + r.stderr());
    firstManifests = manifests(); // both services, amd64 and arm64 each (checked by manifests)
    for (String arch : List.of("amd64", "arm64")) {
      var labels = sample.config(image("app"), arch).get("config").get("Labels");
      assertEquals("compose-build", labels.get("org.opencontainers.image.revision").asText(),
          "the build section's args reached the build");
      assertEquals("2026-12-01T00:00:00Z", labels.get("org.opencontainers.image.created").asText());
    }
    assertEquals(62, SampleRun.elfMachine(sample.unpack(image("whoami"), "amd64").resolve("whoami")));
    assertEquals(183, SampleRun.elfMachine(sample.unpack(image("whoami"), "arm64").resolve("whoami")));
  }

  @Test
  @Order(2)
  void podmanRunsTheServicesImages() {
    for (String arch : List.of("amd64", "arm64")) {
      assertEquals("whoami: linux/" + arch + ", compiled on linux/amd64",
          sample.podman.run("linux/" + arch, image("whoami")).assertSuccess().stdout().strip());
      assertEquals("ci-labels on " + (arch.equals("amd64") ? "x86_64" : "aarch64"),
          sample.podman.run("linux/" + arch, image("app")).assertSuccess().stdout().strip());
    }
  }

  @Test
  @Order(3)
  void theRebakeIsCached() throws Exception {
    Processes.Result r = bake("cached");
    Map<String, String> outcomes = PlainProgress.outcomes(r.stderr());
    assertEquals(List.of(), outcomes.entrySet().stream().filter(e -> e.getKey().matches("\\[.*\\] (RUN|COPY|ADD|WORKDIR) .*")
        && !e.getValue().equals("CACHED")).toList(), "a step ran again on the rebuild:\n" + r.stderr());
    assertEquals(firstManifests, manifests(), "the cached rebuild pushes the same images");
  }
}
