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
  /** compose's additional_contexts: a directory relative to the compose file and a docker-image:// replacing FROM. */
  @Test
  void additionalContextsAreNamedBuildContexts(TestRegistry registry) throws Exception {
    Path project = Files.createDirectories(work.resolve("contexts-project"));
    Path extra = Files.createDirectories(project.resolve("assets"));
    Files.writeString(extra.resolve("note.txt"), "from the assets context\n");
    Files.writeString(project.resolve("Dockerfile"), String.join("\n",
        "FROM base-image",
        "COPY --from=assets note.txt /note.txt",
        "RUN cat /note.txt > /copied", ""));
    String reg = registry.hostPort();
    Path out = work.resolve("contexts-out");
    Files.writeString(project.resolve("compose.yaml"), String.join("\n",
        "services:",
        "  app:",
        "    build:",
        "      context: .",
        "      additional_contexts:",
        "        assets: ./assets",
        "        base-image: docker-image://" + registry.busybox(),
        "      platforms: [linux/amd64]", ""));
    Processes.Result r = Cli.jbuild(store, "bake", "-f", project.resolve("compose.yaml").toString(),
        "--set", "app.output=type=local,dest=" + out, "--progress=plain");
    Cli.assertNoStackTrace(r);
    r.assertSuccess();
    assertEquals("from the assets context\n", Files.readString(out.resolve("copied")));
    // busybox came through the docker-image:// context: its shell ran the RUN step
    assertEquals(true, Files.isRegularFile(out.resolve("bin/busybox")), "busybox rootfs in " + out);

    // a context that does not exist names the target and the context
    Files.writeString(project.resolve("compose.yaml"), Files.readString(project.resolve("compose.yaml"))
        .replace("assets: ./assets", "assets: ./missing"));
    Processes.Result bad = Cli.jbuild(store, "bake", "-f", project.resolve("compose.yaml").toString(),
        "--set", "app.output=type=local,dest=" + out);
    Cli.assertNoStackTrace(bad);
    assertEquals(1, bad.exitCode(), bad.describe("exit code"));
    assertEquals(true, bad.stderr().contains("target \"app\": contexts.assets=" + project.resolve("missing")
        + ": the directory " + project.resolve("missing") + " does not exist"), bad.stderr());
  }

  /**
   * compose's network, extra_hosts, shm_size and ulimits reach the RUN steps of their own service
   * only: the same Dockerfile built for two services sees two different environments.
   */
  @Test
  void eachServiceRunsWithItsOwnRunSettings(TestRegistry registry) throws Exception {
    Path project = Files.createDirectories(work.resolve("run-settings"));
    Files.writeString(project.resolve("Dockerfile"), String.join("\n",
        "ARG BASE",
        "FROM ${BASE}",
        "RUN cat /etc/hosts > /hosts.seen && df -k /dev/shm | tail -n 1 | awk '{print $2}' > /shm.seen"
            + " && ulimit -n > /nofile.seen && ulimit -Hn >> /nofile.seen"
            + " && awk -F: 'NR>2{gsub(/ /,\"\",$1); print $1}' /proc/net/dev | sort | tr '\\n' ' ' > /net.seen", ""));
    Files.writeString(project.resolve("compose.yaml"), String.join("\n",
        "services:",
        "  tuned:",
        "    build:",
        "      context: .",
        "      args: [BASE=" + registry.busybox() + "]",
        "      network: none",
        "      extra_hosts:",
        "        - db.internal:10.1.2.3",
        "        - gw=host-gateway",
        "      shm_size: 128m",
        "      ulimits:",
        "        nofile:",
        "          soft: 1234",
        "          hard: 5678",
        "  plain:",
        "    build:",
        "      context: .",
        "      args: [BASE=" + registry.busybox() + "]", ""));
    Path out = work.resolve("run-settings-out");
    Processes.Result r = Cli.jbuild(store, "bake", "-f", project.resolve("compose.yaml").toString(), "--progress=plain",
        "--set", "tuned.output=type=local,dest=" + out.resolve("tuned"),
        "--set", "plain.output=type=local,dest=" + out.resolve("plain"));
    Cli.assertNoStackTrace(r);
    r.assertSuccess();
    assertEquals("127.0.0.1\tlocalhost jbuild\n::1\tlocalhost ip6-localhost ip6-loopback\n"
        + "10.1.2.3\tdb.internal\n127.0.0.1\tgw\n", Files.readString(out.resolve("tuned/hosts.seen")));
    assertEquals("131072\n", Files.readString(out.resolve("tuned/shm.seen")));
    assertEquals("1234\n5678\n", Files.readString(out.resolve("tuned/nofile.seen")));
    assertEquals("lo ", Files.readString(out.resolve("tuned/net.seen")), "network: none leaves loopback only");
    // the other service of the same solve: the defaults, as jbuild build without flags
    assertEquals("127.0.0.1\tlocalhost jbuild\n::1\tlocalhost ip6-localhost ip6-loopback\n",
        Files.readString(out.resolve("plain/hosts.seen")));
    assertEquals("65536\n", Files.readString(out.resolve("plain/shm.seen")));
    assertEquals("1024", Files.readString(out.resolve("plain/nofile.seen")).lines().findFirst().orElseThrow());
    assertNotEquals("lo ", Files.readString(out.resolve("plain/net.seen")), "the default network is the host's");

    // a bad value names the service's target and the compose key
    Files.writeString(project.resolve("compose.yaml"), Files.readString(project.resolve("compose.yaml"))
        .replace("shm_size: 128m", "shm_size: lots"));
    Processes.Result bad = Cli.jbuild(store, "bake", "-f", project.resolve("compose.yaml").toString(),
        "--set", "*.output=type=local,dest=" + out.resolve("bad"));
    Cli.assertNoStackTrace(bad);
    assertEquals(1, bad.exitCode(), bad.describe("exit code"));
    assertEquals("ERROR: target \"tuned\": shm-size lots: invalid size (e.g. 64m, 1g, 1048576)\n", bad.stderr());
    assertEquals(false, Files.exists(out.resolve("bad")), "nothing written");
  }
}
