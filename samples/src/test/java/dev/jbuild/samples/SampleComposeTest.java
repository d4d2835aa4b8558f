package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * samples/compose: every service with a {@code build:} section is built from that section
 * (context, dockerfile, args) for both platforms, pushed, and run by podman.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleComposeTest {
  @RegisterExtension static final SampleRun.Extension run = new SampleRun.Extension("compose");
  static SampleRun sample;
  static ComposeBuilds compose;

  @BeforeAll
  static void start() throws Exception {
    sample = run.get();
    compose = ComposeBuilds.read(sample.dir().resolve("docker-compose.yml"));
  }

  private static String image(String service) {
    return sample.mirror.hostPort() + "/samples/compose-" + service + ":latest";
  }

  @Test
  @Order(1)
  void buildsEveryServiceFromItsBuildSection() throws Exception {
    assertEquals(List.of("whoami", "app"), List.copyOf(compose.services().keySet()));
    assertEquals(Map.of("BUILD_DATE", "2026-12-01T00:00:00Z", "GIT_COMMIT", "compose-build"),
        compose.services().get("app").args());
    for (Map.Entry<String, ComposeBuilds.Build> s : compose.services().entrySet()) {
      sample.build("cold:" + s.getKey(), image(s.getKey()), s.getValue().context(),
          s.getValue().jbuildArgs().toArray(String[]::new));
      assertEquals(List.of("amd64", "arm64"), List.copyOf(sample.manifests(image(s.getKey())).keySet()));
    }
    assertEquals("compose-build", sample.config(image("app"), "arm64").get("config").get("Labels")
        .get("org.opencontainers.image.revision").asText(), "the build section's args reached the build");
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
}
