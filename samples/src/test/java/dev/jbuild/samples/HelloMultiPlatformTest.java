package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.oci.Digest;
import dev.jbuild.testkit.BaseImages;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton's acceptance: samples/hello built for linux/amd64 and linux/arm64 with the
 * real CLI, pushed to a real registry, checked with skopeo, umoci and runc, rebuilt from cache.
 */
@ExtendWith(RegistryExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelloMultiPlatformTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path work;
  static Path store;
  static String firstDigest;
  static List<JsonNode> firstImages;

  @BeforeAll
  static void environment() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
    store = Files.createDirectories(work.resolve("store"));
  }

  private static Processes.Result buildHello(TestRegistry registry, String... extra) {
    List<String> args = new ArrayList<>(List.of("build", "--platform", "linux/amd64,linux/arm64",
        "--build-arg", "BASE_IMAGE=" + registry.busybox(), "--build-arg", "GIT_COMMIT=abc123",
        "--progress=plain", "--iidfile", work.resolve("iid").toString(),
        "-t", registry.hostPort() + "/hello:latest", "--push"));
    args.addAll(List.of(extra));
    args.add(BaseImages.projectRoot().resolve("samples/hello").toString());
    return Cli.jbuild(store, args.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void pushesATwoPlatformOciIndex(TestRegistry registry) throws Exception {
    Processes.Result r = buildHello(registry);
    r.assertSuccess();
    Cli.assertNoStackTrace(r);
    firstDigest = Files.readString(work.resolve("iid")).strip();

    Processes.Result raw = Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.hostPort() + "/hello:latest")).assertSuccess();
    assertEquals(firstDigest, Digest.sha256(raw.stdout().getBytes(StandardCharsets.UTF_8)).toString(),
        "the pushed index is byte-identical to what jbuild reported");
    JsonNode index = JSON.readTree(raw.stdout());
    assertEquals("application/vnd.oci.image.index.v1+json", index.get("mediaType").asText());
    // the two images, then the min-mode provenance buildx attaches by default to each
    List<JsonNode> images = AttestationEntries.imagesThenAttestations(index, 2);
    firstImages = images;
    JsonNode amd = images.get(0).get("platform");
    JsonNode arm = images.get(1).get("platform");
    assertEquals("linux/amd64", amd.get("os").asText() + "/" + amd.get("architecture").asText());
    assertFalse(amd.has("variant"));
    assertEquals("linux/arm64/v8", arm.get("os").asText() + "/" + arm.get("architecture").asText() + "/"
        + arm.get("variant").asText());

    Map<String, String> expectedArch = Map.of("amd64", "x86_64", "arm64", "aarch64");
    for (JsonNode m : images) {
      String arch = m.get("platform").get("architecture").asText();
      String ref = registry.hostPort() + "/hello@" + m.get("digest").asText();
      JsonNode config = JSON.readTree(Processes.run(List.of("skopeo", "inspect", "--config", "--raw",
          "--tls-verify=false", "docker://" + ref)).assertSuccess().stdout());
      assertEquals(arch, config.get("architecture").asText());
      JsonNode c = config.get("config");
      assertEquals("abc123", c.get("Labels").get("org.opencontainers.image.revision").asText());
      assertEquals("/app", c.get("WorkingDir").asText());
      assertEquals(List.of("./hello.sh"), JSON.convertValue(c.get("Cmd"), List.class));
      List<?> env = JSON.convertValue(c.get("Env"), List.class);
      assertTrue(env.contains("APP_HOME=/app"), env.toString());
      assertTrue(env.contains("GREETING=hello from jbuild"), env.toString());
      assertFalse(env.toString().contains("GIT_COMMIT"), "ARG values must not reach the image config");

      Path layout = work.resolve("layout-" + arch);
      Processes.run(List.of("skopeo", "copy", "--src-tls-verify=false", "docker://" + ref, "oci:" + layout + ":img"))
          .assertSuccess();
      Path bundle = work.resolve("bundle-" + arch);
      Processes.run(List.of("umoci", "unpack", "--image", layout + ":img", bundle.toString())).assertSuccess();
      assertEquals(expectedArch.get(arch), Files.readString(bundle.resolve("rootfs/arch")).strip());
      assertTrue(Files.isExecutable(bundle.resolve("rootfs/app/hello.sh")));
    }
  }

  @Test
  @Order(2)
  void anotherRuntimeRunsTheArm64Image(TestRegistry registry) throws Exception {
    Path bundle = work.resolve("bundle-arm64");
    assertTrue(Files.isDirectory(bundle), "the previous test unpacked the arm64 image");
    // umoci writes an OCI runtime config from the image config; run it non-interactively with runc.
    ObjectMapper m = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode spec = (com.fasterxml.jackson.databind.node.ObjectNode)
        m.readTree(bundle.resolve("config.json").toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) spec.get("process")).put("terminal", false);
    ((com.fasterxml.jackson.databind.node.ObjectNode) spec.get("process")).remove("rlimits");
    m.writeValue(bundle.resolve("config.json").toFile(), spec);
    Processes.Result r = Processes.run(List.of("runc", "run", "--bundle", bundle.toString(),
        "jbuild-hello-test-" + ProcessHandle.current().pid()), null, Map.of(), 120);
    r.assertSuccess();
    assertEquals("hello from jbuild on aarch64", r.stdout().strip());
  }

  @Test
  @Order(3)
  void theRebuildIsFullyCachedAndIdentical(TestRegistry registry) throws Exception {
    Processes.Result r = buildHello(registry);
    r.assertSuccess();
    // the same images; the index differs, as with buildx, only by the provenance's build times
    String again = Files.readString(work.resolve("iid")).strip();
    assertNotEquals(firstDigest, again);
    JsonNode index = JSON.readTree(Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.hostPort() + "/hello:latest")).assertSuccess().stdout());
    assertEquals(firstImages, AttestationEntries.imagesThenAttestations(index, 2), "same image manifests");
    assertEquals(withoutBuildTimes(provenance(registry, firstDigest)), withoutBuildTimes(provenance(registry, again)));
    Map<String, String> outcomes = PlainProgress.outcomes(r.stderr());
    for (String step : List.of("WORKDIR /app", "COPY hello.sh ./", "RUN [\"/bin/sh\",\"-c\",\"chmod 755 hello.sh\"]",
        "RUN uname -m > /arch")) {
      for (String platform : List.of("linux/amd64", "linux/arm64")) {
        String name = outcomes.keySet().stream().filter(k -> k.startsWith("[" + platform + " ") && k.endsWith("] " + step))
            .findFirst().orElseThrow(() -> new AssertionError("no step " + step + " for " + platform + " in:\n" + r.stderr()));
        assertEquals("CACHED", outcomes.get(name), name + "\n" + r.stderr());
      }
    }
    assertTrue(outcomes.entrySet().stream().noneMatch(e -> e.getKey().contains("] RUN ") && !e.getValue().equals("CACHED")),
        "no RUN executed on the rebuild:\n" + r.stderr());
  }

  /** {@code imagetools inspect --format '{{json .Provenance}}'} of the index {@code digest}: platform → {"SLSA": …}. */
  private static JsonNode provenance(TestRegistry registry, String digest) throws Exception {
    Processes.Result r = Cli.jbuild(store, "imagetools", "inspect", "--format", "{{json .Provenance}}",
        registry.hostPort() + "/hello@" + digest);
    r.assertSuccess();
    return JSON.readTree(r.stdout());
  }

  private static JsonNode withoutBuildTimes(JsonNode provenance) {
    JsonNode copy = provenance.deepCopy();
    for (JsonNode perPlatform : copy) {
      com.fasterxml.jackson.databind.node.ObjectNode metadata =
          (com.fasterxml.jackson.databind.node.ObjectNode) perPlatform.at("/SLSA/runDetails/metadata");
      assertTrue(metadata.has("startedOn") && metadata.has("finishedOn"), provenance.toString());
      metadata.remove(List.of("startedOn", "finishedOn"));
    }
    return copy;
  }
}
