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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushing samples/hello for two platforms through a request-counting proxy in front of a real
 * registry: several tags, annotations, cross-repository mounts, no blob sent twice, the three
 * spellings of a push, push-by-digest and Docker media types — each checked with skopeo.
 */
@ExtendWith(RegistryExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryPushTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path work;
  static Path store;
  static CountingProxy proxy;
  static String firstDigest;

  @BeforeAll
  static void environment() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
    store = Files.createDirectories(work.resolve("store"));
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  private static CountingProxy proxy(TestRegistry registry) throws Exception {
    if (proxy == null) {
      proxy = new CountingProxy(registry.hostPort());
    }
    return proxy;
  }

  private static Processes.Result build(String... extra) {
    List<String> args = new ArrayList<>(List.of("build", "--platform", "linux/amd64,linux/arm64",
        "--build-arg", "BASE_IMAGE=" + proxy.hostPort() + "/busybox:" + BaseImages.tag(), "--progress=plain"));
    args.addAll(List.of(extra));
    args.add(BaseImages.projectRoot().resolve("samples/hello").toString());
    Processes.Result r = Cli.jbuild(store, args.toArray(String[]::new));
    r.assertSuccess();
    Cli.assertNoStackTrace(r);
    return r;
  }

  private static String raw(String ref) {
    return Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref))
        .assertSuccess().stdout();
  }

  @Test
  @Order(1)
  void pushesEveryTagWithAnnotationsAndMountsTheBaseLayers(TestRegistry registry) throws Exception {
    String host = proxy(registry).hostPort();
    Path meta = work.resolve("meta.json");
    // the subject is the push (annotations, mounts, no re-upload): without provenance, whose build times differ per build
    build("-t", host + "/app:1", "-t", host + "/app:latest", "-t", host + "/mirror/app:1", "--push", "--provenance=false",
        "--annotation", "index:org.opencontainers.image.description=two platforms",
        "--annotation", "manifest[linux/arm64]:org.example.arch=arm",
        "--annotation", "manifest-descriptor:org.example.entry=yes",
        "--metadata-file", meta.toString());
    String index = raw(host + "/app:1");
    firstDigest = Digest.sha256(index.getBytes(StandardCharsets.UTF_8)).toString();
    assertEquals(index, raw(host + "/app:latest"));
    assertEquals(index, raw(host + "/mirror/app:1"));
    JsonNode idx = JSON.readTree(index);
    assertEquals("two platforms", idx.get("annotations").get("org.opencontainers.image.description").asText());
    JsonNode arm = idx.get("manifests").get(1);
    assertEquals("arm64", arm.get("platform").get("architecture").asText());
    assertEquals("v8", arm.get("platform").get("variant").asText());
    assertEquals("yes", arm.get("annotations").get("org.example.entry").asText());
    JsonNode armManifest = JSON.readTree(raw(host + "/app@" + arm.get("digest").asText()));
    assertEquals("arm", armManifest.get("annotations").get("org.example.arch").asText());
    JsonNode amdManifest = JSON.readTree(raw(host + "/app@" + idx.get("manifests").get(0).get("digest").asText()));
    assertFalse(amdManifest.has("annotations") && amdManifest.get("annotations").has("org.example.arch"));
    // skopeo reads the whole image per platform
    Processes.run(List.of("skopeo", "inspect", "--tls-verify=false", "--override-arch", "arm64",
        "docker://" + host + "/app:1")).assertSuccess();

    assertTrue(proxy.mounts() >= 2, "base layers (busybox) and the second repository are mounted:\n"
        + String.join("\n", proxy.requests()));
    assertTrue(proxy.requests().stream().anyMatch(r -> r.contains("/v2/mirror/app/blobs/uploads/?mount=")
        && r.contains("from=app") && r.endsWith(" 201")), "the second repository mounts from the first");

    JsonNode m = JSON.readTree(Files.readString(meta));
    assertEquals(firstDigest, m.get("containerimage.digest").asText());
    assertEquals("application/vnd.oci.image.index.v1+json", m.get("containerimage.descriptor").get("mediaType").asText());
    assertEquals(host + "/app:1," + host + "/app:latest," + host + "/mirror/app:1", m.get("image.name").asText());
    assertTrue(Files.readString(meta).contains("\"containerimage.digest\": \""), "Go's json layout: \"key\": value");
  }

  @Test
  @Order(2)
  void aSecondPushUploadsNoBlob(TestRegistry registry) throws Exception {
    String host = proxy(registry).hostPort();
    proxy.clear();
    // the subject is the push (annotations, mounts, no re-upload): without provenance, whose build times differ per build
    build("-t", host + "/app:1", "-t", host + "/app:latest", "-t", host + "/mirror/app:1", "--push", "--provenance=false",
        "--annotation", "index:org.opencontainers.image.description=two platforms",
        "--annotation", "manifest[linux/arm64]:org.example.arch=arm",
        "--annotation", "manifest-descriptor:org.example.entry=yes",
        "--iidfile", work.resolve("iid").toString());
    assertEquals(firstDigest, Files.readString(work.resolve("iid")));
    assertEquals(0, proxy.blobUploads(), String.join("\n", proxy.requests()));
    assertTrue(proxy.requests().stream().noneMatch(r -> r.startsWith("POST ")), "no upload is even started:\n"
        + String.join("\n", proxy.requests()));
  }

  @Test
  @Order(3)
  void pushRegistryOutputAndImagePushAreTheSamePush(TestRegistry registry) throws Exception {
    String host = proxy(registry).hostPort();
    // the same bytes need the same provenance: off, as its times (and subjects' names) differ per build
    build("-t", host + "/same:a", "-o", "type=registry", "--provenance=false");
    build("-o", "type=image,name=" + host + "/same:b,push=true", "--provenance=false");
    build("-o", "type=image,\"name=" + host + "/same:c," + host + "/same:d\"", "--push", "--provenance=false");
    String a = raw(host + "/same:a");
    for (String tag : List.of("b", "c", "d")) {
      assertEquals(a, raw(host + "/same:" + tag));
    }
  }

  @Test
  @Order(4)
  void pushByDigestLeavesNoTagAndReportsTheCanonicalName(TestRegistry registry) throws Exception {
    String host = proxy(registry).hostPort();
    Path meta = work.resolve("bydigest.json");
    build("-o", "type=image,name=" + host + "/matrix,push-by-digest=true,name-canonical=true,push=true",
        "--metadata-file", meta.toString());
    JsonNode m = JSON.readTree(Files.readString(meta));
    String digest = m.get("containerimage.digest").asText();
    assertEquals(host + "/matrix," + host + "/matrix@" + digest, m.get("image.name").asText());
    raw(host + "/matrix@" + digest);
    Processes.Result tags = Processes.run(List.of("skopeo", "list-tags", "--tls-verify=false", "docker://" + host + "/matrix"));
    // the registry answers "no such repository" for a repository without tags, or an empty list
    assertTrue(tags.exitCode() != 0 ? tags.stderr().contains("404") : JSON.readTree(tags.stdout()).get("Tags").isEmpty(),
        tags.describe("tags exist"));
  }

  @Test
  @Order(5)
  void dockerMediaTypesPushAManifestList(TestRegistry registry) throws Exception {
    String host = proxy(registry).hostPort();
    build("-o", "type=registry,name=" + host + "/v2s2:1,oci-mediatypes=false");
    JsonNode list = JSON.readTree(raw(host + "/v2s2:1"));
    assertEquals("application/vnd.docker.distribution.manifest.list.v2+json", list.get("mediaType").asText());
    JsonNode manifest = JSON.readTree(raw(host + "/v2s2@" + list.get("manifests").get(0).get("digest").asText()));
    assertEquals("application/vnd.docker.distribution.manifest.v2+json", manifest.get("mediaType").asText());
    assertEquals("application/vnd.docker.container.image.v1+json", manifest.get("config").get("mediaType").asText());
    assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip", manifest.get("layers").get(0).get("mediaType").asText());
  }
}
