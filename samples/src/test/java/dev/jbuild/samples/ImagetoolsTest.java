package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imagetools create} merges single-platform pushes (the CI matrix) into one index that skopeo
 * reads as multi-arch, across repositories, with {@code --append}, {@code --annotation} and
 * {@code --dry-run}; {@code imagetools inspect} shows it raw, summarised and formatted.
 */
@ExtendWith(RegistryExtension.class)
class ImagetoolsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path work;
  static Path store;
  static Path context;
  /** platform → manifest digest of its single-platform push */
  static final Map<String, String> pushed = new HashMap<>();

  @BeforeAll
  static void environment() throws Exception {
    Prerequisites.requireRoot();
    store = Files.createDirectories(work.resolve("store"));
    context = Files.createDirectories(work.resolve("ctx"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nARG TARGETPLATFORM\nCOPY hello /\nLABEL built.for=$TARGETPLATFORM\n");
    Files.writeString(context.resolve("hello"), "hello\n");
  }

  private static String push(TestRegistry registry, String platform) throws Exception {
    if (!pushed.containsKey(platform)) {
      String tag = registry.hostPort() + "/matrix:" + platform.replace("/", "-");
      Path meta = work.resolve("meta-" + platform.replace("/", "-") + ".json");
      // lone manifests, as the merge cases below expect (the default provenance would make each an index)
      Processes.Result r = Cli.jbuild(store, "build", "--progress=plain", "--platform", platform, "--push", "-t", tag,
          "--provenance=false",
          "--metadata-file", meta.toString(), context.toString());
      Cli.assertNoStackTrace(r);
      r.assertSuccess();
      pushed.put(platform, JSON.readTree(meta.toFile()).get("containerimage.digest").asText());
    }
    return registry.hostPort() + "/matrix:" + platform.replace("/", "-");
  }

  private static Processes.Result jbuild(String... args) {
    Processes.Result r = Cli.jbuild(store, args);
    Cli.assertNoStackTrace(r);
    return r;
  }

  private static JsonNode skopeoRaw(String ref) throws Exception {
    return JSON.readTree(Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref))
        .assertSuccess().stdout());
  }

  /** platform → digest of the index entries. */
  private static Map<String, String> entries(JsonNode index) {
    Map<String, String> out = new HashMap<>();
    for (JsonNode m : index.get("manifests")) {
      JsonNode p = m.get("platform");
      String platform = p.get("os").asText() + "/" + p.get("architecture").asText()
          + (p.has("variant") ? "/" + p.get("variant").asText() : "");
      out.put(platform, m.get("digest").asText());
    }
    return out;
  }

  @Test
  void twoSinglePlatformPushesBecomeOneMultiArchIndex(TestRegistry registry) throws Exception {
    String amd = push(registry, "linux/amd64");
    String arm = push(registry, "linux/arm64");
    String target = registry.hostPort() + "/matrix:1.0";
    jbuild("imagetools", "create", "-t", target, amd, arm).assertSuccess();

    JsonNode index = skopeoRaw(target);
    assertEquals("application/vnd.oci.image.index.v1+json", index.get("mediaType").asText());
    assertEquals(Map.of("linux/amd64", pushed.get("linux/amd64"), "linux/arm64/v8", pushed.get("linux/arm64")), entries(index));
    // skopeo picks each platform's image out of the index
    for (String arch : List.of("amd64", "arm64")) {
      JsonNode config = JSON.readTree(Processes.run(List.of("skopeo", "--override-arch", arch, "--override-os", "linux",
          "inspect", "--config", "--tls-verify=false", "docker://" + target)).assertSuccess().stdout());
      assertEquals("linux/" + arch, config.at("/config/Labels/built.for").asText());
      assertEquals(arch, config.get("architecture").asText());
    }

    // inspect: raw bytes are the registry's, the summary lists the platforms, --format reads fields
    String raw = jbuild("imagetools", "inspect", "--raw", target).assertSuccess().stdout();
    String skopeo = Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + target))
        .assertSuccess().stdout();
    assertEquals(skopeo, raw.substring(0, raw.length() - 1));
    String digest = "sha256:" + sha256(skopeo);
    String summary = jbuild("imagetools", "inspect", target).assertSuccess().stdout();
    String repo = registry.hostPort() + "/matrix";
    assertEquals("Name:      " + target + "\nMediaType: application/vnd.oci.image.index.v1+json\nDigest:    " + digest + "\n\n"
        + "Manifests:\n"
        + "  Name:      " + repo + "@" + pushed.get("linux/amd64") + "\n"
        + "  MediaType: application/vnd.oci.image.manifest.v1+json\n"
        + "  Platform:  linux/amd64\n\n"
        + "  Name:      " + repo + "@" + pushed.get("linux/arm64") + "\n"
        + "  MediaType: application/vnd.oci.image.manifest.v1+json\n"
        + "  Platform:  linux/arm64/v8\n", summary);
    JsonNode image = JSON.readTree(jbuild("imagetools", "inspect", "--format", "{{json .Image}}", target).assertSuccess().stdout());
    assertEquals("linux/arm64", image.at("/linux~1arm64~1v8/config/Labels/built.for").asText());
    assertEquals("linux/amd64", image.at("/linux~1amd64/config/Labels/built.for").asText());
    assertEquals("2 " + target + "\n", jbuild("imagetools", "inspect", "--format", "{{.Manifest.SchemaVersion}} {{.Name}}",
        target).assertSuccess().stdout());
    JsonNode all = JSON.readTree(jbuild("imagetools", "inspect", "--format", "{{json .}}", target).assertSuccess().stdout());
    assertEquals(target, all.get("name").asText());
    assertEquals(index, all.get("manifest"));
    assertEquals(image, all.get("image"));
  }

  @Test
  void mergingIntoAnotherRepositoryCopiesTheImages(TestRegistry registry) throws Exception {
    String amd = push(registry, "linux/amd64");
    String arm = push(registry, "linux/arm64");
    String target = registry.hostPort() + "/released/app:2.0";
    jbuild("imagetools", "create", "-t", target, "--annotation", "index:org.opencontainers.image.title=app",
        "--annotation", "org.opencontainers.image.version=2.0", amd, arm).assertSuccess();
    JsonNode index = skopeoRaw(target);
    assertEquals(Map.of("org.opencontainers.image.title", "app", "org.opencontainers.image.version", "2.0"),
        JSON.convertValue(index.get("annotations"), Map.class));
    // every image of the index can be copied out of the new repository, so all blobs are there
    Path layout = work.resolve("copied");
    Processes.run(List.of("skopeo", "copy", "--all", "--src-tls-verify=false", "docker://" + target, "oci:" + layout))
        .assertSuccess();
    assertEquals(Map.of("linux/amd64", pushed.get("linux/amd64"), "linux/arm64/v8", pushed.get("linux/arm64")), entries(index));
  }

  @Test
  void appendAddsToTheExistingIndexAndDryRunPushesNothing(TestRegistry registry) throws Exception {
    String amd = push(registry, "linux/amd64");
    String arm = push(registry, "linux/arm64");
    String armv7 = push(registry, "linux/arm/v7");
    String target = registry.hostPort() + "/matrix:append";
    jbuild("imagetools", "create", "-t", target, amd).assertSuccess();
    JsonNode first = skopeoRaw(target);
    assertEquals(Map.of("linux/amd64", pushed.get("linux/amd64")), entries(first));

    Processes.Result dry = jbuild("imagetools", "create", "-t", target, "--append", "--dry-run", arm, armv7);
    dry.assertSuccess();
    JsonNode planned = JSON.readTree(dry.stdout());
    assertEquals(3, planned.get("manifests").size());
    assertEquals(first, skopeoRaw(target)); // nothing pushed

    jbuild("imagetools", "create", "-t", target, "--append", arm, armv7).assertSuccess();
    JsonNode appended = skopeoRaw(target);
    assertEquals(planned, appended);
    assertEquals(Map.of("linux/amd64", pushed.get("linux/amd64"), "linux/arm64/v8", pushed.get("linux/arm64"),
        "linux/arm/v7", pushed.get("linux/arm/v7")), entries(appended));
    assertEquals(pushed.get("linux/amd64"), appended.get("manifests").get(0).get("digest").asText());
    assertNotEquals(first, appended);
  }

  @Test
  void theCiMatrixMergeKeepsEachPlatformsDefaultProvenance(TestRegistry registry) throws Exception {
    // one job per platform pushes with buildx's default provenance (an index each), another merges them
    List<JsonNode> sources = new java.util.ArrayList<>();
    List<JsonNode> provenance = new java.util.ArrayList<>();
    for (String platform : List.of("linux/amd64", "linux/arm64")) {
      String tag = registry.hostPort() + "/ci:" + platform.replace("/", "-");
      jbuild("build", "--progress=plain", "--platform", platform, "--push", "-t", tag, context.toString()).assertSuccess();
      JsonNode index = skopeoRaw(tag);
      AttestationEntries.imagesThenAttestations(index, 1);
      sources.add(index);
      provenance.add(JSON.readTree(jbuild("imagetools", "inspect", "--format", "{{json .Provenance}}", tag)
          .assertSuccess().stdout()));
    }
    String target = registry.hostPort() + "/merged:1";
    jbuild("imagetools", "create", "-t", target, registry.hostPort() + "/ci:linux-amd64",
        registry.hostPort() + "/ci:linux-arm64").assertSuccess();

    // every entry of both indexes, in source order, copied into the other repository with its blobs
    JsonNode merged = skopeoRaw(target);
    List<JsonNode> expected = new java.util.ArrayList<>();
    sources.forEach(i -> i.get("manifests").forEach(expected::add));
    List<JsonNode> actual = new java.util.ArrayList<>();
    merged.get("manifests").forEach(actual::add);
    assertEquals(expected, actual);
    Processes.run(List.of("skopeo", "copy", "--all", "--src-tls-verify=false", "docker://" + target,
        "oci:" + work.resolve("merged-copy"))).assertSuccess();
    JsonNode both = JSON.readTree(jbuild("imagetools", "inspect", "--format", "{{json .Provenance}}", target)
        .assertSuccess().stdout());
    com.fasterxml.jackson.databind.node.ObjectNode perPlatform = JSON.createObjectNode();
    perPlatform.set("linux/amd64", provenance.get(0));
    perPlatform.set("linux/arm64/v8", provenance.get(1));
    assertEquals(perPlatform, both, "the per-platform provenance of the merge is each push's own");
  }

  @Test
  void misuseIsExplained(TestRegistry registry) {
    Processes.Result noTag = jbuild("imagetools", "create", registry.hostPort() + "/matrix:x");
    assertEquals(1, noTag.exitCode());
    assertEquals("ERROR: imagetools create needs a name for the new index: add -t/--tag NAME (or --dry-run)\n", noTag.stderr());
    Processes.Result missing = jbuild("imagetools", "inspect", registry.hostPort() + "/nothing:here");
    assertEquals(1, missing.exitCode());
    assertEquals(true, missing.stderr().startsWith("ERROR: ") && missing.stderr().contains("nothing:here"), missing.stderr());
    Processes.Result badFormat = jbuild("imagetools", "inspect", "--format", "{{range .Manifest}}x{{end}}",
        registry.hostPort() + "/nothing:here");
    // refused before the registry is asked (the image does not exist), with its own status
    assertEquals(2, badFormat.exitCode());
    assertEquals("ERROR: --format: unsupported template action {{range .Manifest}} (supported: {{.Field}},"
        + " {{json .Field}}, {{json (index .Field \"KEY\").Field}})\n", badFormat.stderr());
  }

  private static String sha256(String s) throws Exception {
    byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return java.util.HexFormat.of().formatHex(d);
  }
}
