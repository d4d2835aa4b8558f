package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI scenario: store A builds samples/hello for two platforms and exports its cache; an empty
 * store B imports it and runs nothing; after a one-file change an empty store C runs only the
 * steps that depend on the file. With type=registry (an OCI artifact in a real registry, checked
 * with skopeo) and type=local; a tampered export gives misses and a warning, never a wrong image.
 */
@ExtendWith(RegistryExtension.class)
class CacheExportImportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> EPOCH = Map.of("SOURCE_DATE_EPOCH", "1700000000");
  private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64");
  private static final List<String> STEPS = List.of("WORKDIR /app", "COPY hello.sh ./",
      "RUN [\"/bin/sh\",\"-c\",\"chmod 755 hello.sh\"]", "RUN uname -m > /arch");
  @TempDir static Path work;

  @BeforeAll
  static void environment() {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
  }

  private static Path context(String name) throws Exception {
    Path dir = Files.createDirectories(work.resolve("ctx-" + name));
    for (String f : List.of("Dockerfile", "hello.sh")) {
      Files.copy(BaseImages.projectRoot().resolve("samples/hello").resolve(f), dir.resolve(f));
    }
    return dir;
  }

  /** Builds into a new empty store; returns the result and the pushed index digest. */
  private static Processes.Result build(TestRegistry registry, String store, Path context, String tag, String... cacheFlags)
      throws Exception {
    Path s = Files.createDirectories(work.resolve("store-" + store));
    List<String> args = new ArrayList<>(List.of("build", "--platform", String.join(",", PLATFORMS),
        "--build-arg", "BASE_IMAGE=" + registry.busybox(), "--progress=plain",
        "--iidfile", work.resolve("iid-" + store).toString(), "-t", registry.hostPort() + "/hello-cache:" + tag, "--push",
        // the subject is the cache, checked by comparing images across stores and tags: provenance names the tag
        "--provenance=false"));
    args.addAll(List.of(cacheFlags));
    args.add(context.toString());
    Processes.Result r = Cli.jbuild(s, EPOCH, args.toArray(String[]::new));
    r.assertSuccess();
    Cli.assertNoStackTrace(r);
    return r;
  }

  private static String iid(String store) throws Exception {
    return Files.readString(work.resolve("iid-" + store)).strip();
  }

  /** How each of STEPS ended, per platform. */
  private static Map<String, String> outcomes(Processes.Result r) {
    Map<String, String> all = PlainProgress.outcomes(r.stderr());
    Map<String, String> out = new java.util.TreeMap<>();
    for (String step : STEPS) {
      for (String p : PLATFORMS) {
        String name = all.keySet().stream().filter(k -> k.startsWith("[" + p + " ") && k.endsWith("] " + step)).findFirst()
            .orElseThrow(() -> new AssertionError("no step " + step + " for " + p + " in:\n" + r.stderr()));
        out.put(p + " " + step, all.get(name));
      }
    }
    return out;
  }

  private static Map<String, String> expect(String workdir, String copy, String chmod, String uname) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (String p : PLATFORMS) {
      out.put(p + " " + STEPS.get(0), workdir);
      out.put(p + " " + STEPS.get(1), copy);
      out.put(p + " " + STEPS.get(2), chmod);
      out.put(p + " " + STEPS.get(3), uname);
    }
    return out;
  }

  /** {@code importerFlags}: what stores B and C add to {@code --cache-from} (inline: export too, to compare images). */
  private void ciScenario(TestRegistry registry, String name, String cacheTo, String cacheFrom, String... importerFlags)
      throws Exception {
    Path ctx = context(name);
    Processes.Result a = build(registry, name + "-a", ctx, name + "-a", "--cache-to", cacheTo);
    assertEquals(expect("DONE", "DONE", "DONE", "DONE"), outcomes(a));
    if (!cacheTo.equals("type=inline")) {
      assertTrue(a.stderr().contains("exporting cache to"), a.stderr());
    }
    List<String> importer = new ArrayList<>(List.of("--cache-from", cacheFrom));
    importer.addAll(List.of(importerFlags));

    Processes.Result b = build(registry, name + "-b", ctx, name + "-b", importer.toArray(String[]::new));
    assertEquals(expect("CACHED", "CACHED", "CACHED", "CACHED"), outcomes(b), b.stderr());
    assertFalse(b.stderr().contains("WARNING"), b.stderr());
    assertEquals(iid(name + "-a"), iid(name + "-b"), "the image from the imported cache is the same image");

    Files.writeString(ctx.resolve("hello.sh"), "\necho changed\n", java.nio.file.StandardOpenOption.APPEND);
    Processes.Result c = build(registry, name + "-c", ctx, name + "-c", importer.toArray(String[]::new));
    assertEquals(expect("CACHED", "DONE", "DONE", "DONE"), outcomes(c), c.stderr());
  }

  @Test
  void registryCacheTravelsBetweenEmptyStores(TestRegistry registry) throws Exception {
    String ref = registry.hostPort() + "/hello-cache:buildcache";
    ciScenario(registry, "registry", "type=registry,ref=" + ref + ",mode=max", "type=registry,ref=" + ref);

    // any OCI client reads the export: an OCI image manifest whose config is jbuild's cache config
    String raw = Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref))
        .assertSuccess().stdout();
    JsonNode m = JSON.readTree(raw);
    assertEquals("application/vnd.oci.image.manifest.v1+json", m.get("mediaType").asText());
    assertEquals("application/vnd.jbuild.cache.v1", m.get("artifactType").asText());
    assertEquals("application/vnd.jbuild.cache.config.v1+json", m.get("config").get("mediaType").asText());
    String rawConfig = Processes.run(List.of("skopeo", "inspect", "--config", "--raw", "--tls-verify=false",
        "docker://" + ref)).assertSuccess().stdout();
    assertEquals(Digest.parse(m.get("config").get("digest").asText()),
        Digest.sha256(rawConfig.getBytes(StandardCharsets.UTF_8)), "skopeo reads the config the manifest names");
    JsonNode config = JSON.readTree(rawConfig);
    // mode=max: at least the 4 steps of each platform have records
    java.util.Set<String> layers = new java.util.HashSet<>();
    config.get("records").forEach(r -> r.get("layers").forEach(l -> layers.add(l.get("digest").asText())));
    java.util.Set<String> manifestLayers = new java.util.HashSet<>();
    m.get("layers").forEach(l -> manifestLayers.add(l.get("digest").asText()));
    m.get("layers").forEach(l -> assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", l.get("mediaType").asText(),
        "layers travel gzipped (compression=gzip is the default)"));
    assertEquals(manifestLayers, layers, "the manifest lists exactly the blobs the records name");
    assertTrue(config.get("records").size() >= 8, config.toString());
  }

  @Test
  void localCacheTravelsAndATamperedExportIsAMissWithAWarning(TestRegistry registry) throws Exception {
    Path dir = work.resolve("local-cache");
    ciScenario(registry, "local", "type=local,dest=" + dir + ",mode=max", "type=local,src=" + dir);
    assertTrue(Files.isRegularFile(dir.resolve("index.json")) && Files.isRegularFile(dir.resolve("oci-layout")));

    // flip a byte in the smallest layer blob: records naming it must not be used
    JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
    Digest manifestDigest = Digest.parse(index.get("manifests").get(0).get("digest").asText());
    JsonNode manifest = JSON.readTree(dir.resolve("blobs/sha256/" + manifestDigest.hex()).toFile());
    JsonNode smallest = null;
    for (JsonNode l : manifest.get("layers")) {
      if (smallest == null || l.get("size").asLong() < smallest.get("size").asLong()) {
        smallest = l;
      }
    }
    Path blob = dir.resolve("blobs/sha256/" + Digest.parse(smallest.get("digest").asText()).hex());
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(blob, bytes);

    Path ctx = context("tampered");
    Processes.Result t = build(registry, "tampered", ctx, "tampered", "--cache-from", "type=local,src=" + dir);
    assertTrue(t.stderr().contains("WARNING: cache from type=local,src=" + dir + ": layer " + smallest.get("digest").asText()
        + " does not match its digest; not using it (the step runs)"), t.stderr());
    assertTrue(outcomes(t).containsValue("DONE"), "the records naming the tampered blob are misses:\n" + t.stderr());
    assertEquals(iid("local-a"), iid("tampered"), "the image is the one a clean build gives");

    // a tampered cache config (the manifest names its digest) is not imported at all
    Digest configDigest = Digest.parse(manifest.get("config").get("digest").asText());
    Path configFile = dir.resolve("blobs/sha256/" + configDigest.hex());
    Files.writeString(configFile, Files.readString(configFile).replace("\"addedLayer\":true", "\"addedLayer\":false"));
    Processes.Result u = build(registry, "tampered-config", context("tampered-config"), "tampered-config",
        "--cache-from", "type=local,src=" + dir);
    assertTrue(u.stderr().contains("WARNING: cache from type=local,src=" + dir + " was not imported: type=local,src=" + dir
        + ": the cache config does not match its digest " + configDigest), u.stderr());
    assertEquals(expect("DONE", "DONE", "DONE", "DONE"), outcomes(u));
    assertEquals(iid("local-a"), iid("tampered-config"));
  }

  private static String skopeo(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--tls-verify=false"));
    cmd.addAll(List.of(args));
    return Processes.run(cmd).assertSuccess().stdout();
  }

  @Test
  void inlineCacheTravelsInTheImageAndATamperedConfigIsAMissWithAWarning(TestRegistry registry) throws Exception {
    String repo = registry.hostPort() + "/hello-cache";
    // B and C export inline too, so their images can be compared with A's
    ciScenario(registry, "inline", "type=inline", repo + ":inline-a", "--cache-to", "type=inline");

    // each platform's config carries the records of its own layer chain: one per layer a step added
    // (busybox's one layer, then WORKDIR, COPY and the two RUNs)
    for (String arch : List.of("amd64", "arm64")) {
      JsonNode config = JSON.readTree(skopeo("--config", "--raw", "--override-arch", arch, "docker://" + repo + ":inline-a"));
      assertEquals(arch, config.get("architecture").asText());
      JsonNode records = JSON.readTree(java.util.Base64.getDecoder().decode(config.get("dev.jbuild.cache.v1").asText()))
          .get("records");
      java.util.Set<Integer> chains = new java.util.TreeSet<>();
      records.forEach(r -> chains.add(r.get("layers").asInt()));
      assertEquals(5, config.get("rootfs").get("diff_ids").size());
      assertEquals(java.util.Set.of(2, 3, 4, 5), chains, arch + ": " + records);
    }

    // two stores building from nothing push the same bytes (SOURCE_DATE_EPOCH)
    build(registry, "inline-d", context("inline-d"), "inline-d", "--cache-to", "type=inline");
    assertEquals(iid("inline-a"), iid("inline-d"), "inline cache keeps the image reproducible across stores");

    // tamper: the arm64 config claims another diff id for its last layer; pushed by hand with a matching manifest
    JsonNode index = JSON.readTree(skopeo("--raw", "docker://" + repo + ":inline-a"));
    com.fasterxml.jackson.databind.node.ObjectNode arm = null;
    for (JsonNode d : index.get("manifests")) {
      if (d.get("platform").get("architecture").asText().equals("arm64")) {
        arm = (com.fasterxml.jackson.databind.node.ObjectNode) d;
      }
    }
    String armRef = "docker://" + repo + "@" + arm.get("digest").asText();
    com.fasterxml.jackson.databind.node.ObjectNode manifest =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(skopeo("--raw", armRef));
    com.fasterxml.jackson.databind.node.ObjectNode config =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(skopeo("--config", "--raw", armRef));
    com.fasterxml.jackson.databind.node.ArrayNode diffIds = (com.fasterxml.jackson.databind.node.ArrayNode)
        config.get("rootfs").get("diff_ids");
    int last = diffIds.size() - 1;
    String realDiffId = diffIds.get(last).asText();
    String fakeDiffId = Digest.sha256("tampered".getBytes(StandardCharsets.UTF_8)).toString();
    diffIds.set(last, com.fasterxml.jackson.databind.node.TextNode.valueOf(fakeDiffId));
    byte[] configBytes = JSON.writeValueAsBytes(config);
    Digest configDigest = HandPush.blob(registry.hostPort(), "hello-cache", configBytes);
    ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("config")).put("digest", configDigest.toString())
        .put("size", configBytes.length);
    byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
    Digest manifestDigest = HandPush.manifest(registry.hostPort(), "hello-cache", Digest.sha256(manifestBytes).toString(),
        manifest.get("mediaType").asText(), manifestBytes);
    arm.put("digest", manifestDigest.toString()).put("size", manifestBytes.length);
    HandPush.manifest(registry.hostPort(), "hello-cache", "inline-tampered", index.get("mediaType").asText(),
        JSON.writeValueAsBytes(index));
    String lastLayer = manifest.get("layers").get(last).get("digest").asText();

    String tampered = repo + ":inline-tampered";
    Processes.Result t = build(registry, "inline-t", context("inline-t"), "inline-t", "--cache-from", tampered,
        "--cache-to", "type=inline");
    assertTrue(t.stderr().contains("WARNING: cache from type=registry,ref=" + tampered + ": layer " + lastLayer
        + " does not uncompress to its diff id " + fakeDiffId + " (got " + realDiffId + "); not using it (the step runs)"),
        t.stderr());
    Map<String, String> outcomes = expect("CACHED", "CACHED", "CACHED", "CACHED");
    outcomes.put("linux/arm64 " + STEPS.get(3), "DONE");
    assertEquals(outcomes, outcomes(t), t.stderr());
    assertEquals(iid("inline-a"), iid("inline-t"), "the image is the one a clean build gives");
  }
}
