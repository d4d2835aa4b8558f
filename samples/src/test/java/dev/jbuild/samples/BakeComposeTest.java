package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bake} of a compose file with two services, two platforms each and a shared base stage:
 * one solve, so the shared stage runs once per platform (not once per service), both indexes are
 * pushed and checked with skopeo, and the services' images share the base layers.
 */
@ExtendWith(RegistryExtension.class)
class BakeComposeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path work;
  static Path store;

  @BeforeAll
  static void environment() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
    Prerequisites.requireEmulation(Platform.LINUX_ARM64);
    store = Files.createDirectories(work.resolve("store"));
  }

  private static JsonNode raw(String ref) throws Exception {
    return JSON.readTree(Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref))
        .assertSuccess().stdout());
  }

  /** The layer digests of a platform's image in an index. */
  private static List<String> layers(String repo, JsonNode index, String arch) throws Exception {
    for (JsonNode m : index.get("manifests")) {
      if (m.at("/platform/architecture").asText().equals(arch)) {
        List<String> out = new ArrayList<>();
        raw(repo + "@" + m.get("digest").asText()).get("layers").forEach(l -> out.add(l.get("digest").asText()));
        return out;
      }
    }
    throw new AssertionError("no " + arch + " image in " + index);
  }

  @Test
  void twoServicesShareTheirBaseStageInOneSolve(TestRegistry registry) throws Exception {
    Path project = Files.createDirectories(work.resolve("project"));
    Files.writeString(project.resolve("Dockerfile"), String.join("\n",
        "ARG BASE",
        "FROM ${BASE} AS base",
        "RUN echo shared-base-step > /shared",
        "FROM base AS api",
        "RUN echo api > /svc",
        "FROM base AS web",
        "RUN echo web > /svc", ""));
    String reg = registry.hostPort();
    Files.writeString(project.resolve("compose.yaml"), String.join("\n",
        "services:",
        "  api:",
        "    image: " + reg + "/bake-api:1",
        "    build:",
        "      context: .",
        "      target: api",
        "      args:",
        "        BASE: " + registry.busybox(),
        "      platforms: [linux/amd64, linux/arm64]",
        "  web:",
        "    image: " + reg + "/bake-web:1",
        "    build:",
        "      context: .",
        "      target: web",
        "      args: [BASE=" + registry.busybox() + "]",
        "      platforms: [linux/amd64, linux/arm64]",
        "  cache:",
        "    image: redis", ""));

    Processes.Result r = Cli.jbuild(store, "bake", "-f", project.resolve("compose.yaml").toString(), "--push", "--progress=plain");
    Cli.assertNoStackTrace(r);
    r.assertSuccess();
    List<String> started = r.stderr().lines().filter(l -> l.matches("#\\d+ .*RUN echo .*")).toList();
    assertEquals(2, started.stream().filter(l -> l.endsWith("RUN echo shared-base-step > /shared")).count(), r.stderr());
    assertEquals(2, started.stream().filter(l -> l.endsWith("RUN echo api > /svc")).count(), r.stderr());
    assertEquals(2, started.stream().filter(l -> l.endsWith("RUN echo web > /svc")).count(), r.stderr());

    JsonNode api = raw(reg + "/bake-api:1");
    JsonNode web = raw(reg + "/bake-web:1");
    for (JsonNode index : List.of(api, web)) {
      assertEquals("application/vnd.oci.image.index.v1+json", index.get("mediaType").asText());
      List<String> archs = new ArrayList<>();
      index.get("manifests").forEach(m -> archs.add(m.at("/platform/architecture").asText()));
      assertEquals(List.of("amd64", "arm64"), archs);
    }
    for (String arch : List.of("amd64", "arm64")) {
      List<String> apiLayers = layers(reg + "/bake-api", api, arch);
      List<String> webLayers = layers(reg + "/bake-web", web, arch);
      assertEquals(apiLayers.size(), webLayers.size());
      // base image and shared stage layers are the same blobs; only the service's own layer differs
      assertEquals(apiLayers.subList(0, apiLayers.size() - 1), webLayers.subList(0, webLayers.size() - 1));
      assertNotEquals(apiLayers.get(apiLayers.size() - 1), webLayers.get(webLayers.size() - 1));
    }

    // the same definition printed, with a --set override of one service's platforms
    Processes.Result printed = Cli.jbuild(store, "bake", "-f", project.resolve("compose.yaml").toString(), "--print",
        "--set", "web.platform=linux/arm64", "web");
    printed.assertSuccess();
    JsonNode def = JSON.readTree(printed.stdout());
    assertEquals("[\"linux/arm64\"]", def.at("/target/web/platforms").toString());
    assertEquals("web", def.at("/target/web/target").asText());
    assertEquals(project.toString(), def.at("/target/web/context").asText());
    assertEquals("[\"" + reg + "/bake-web:1\"]", def.at("/target/web/tags").toString());
  }
}
