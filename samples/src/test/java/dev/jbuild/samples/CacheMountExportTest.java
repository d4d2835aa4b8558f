package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.oci.Digest;
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
 * {@code --cache-to type=local,dest=DIR,cache-mounts=true}: store A fills a {@code RUN
 * --mount=type=cache} cache and exports it; an empty store B imports it and a different RUN on the
 * same cache sees A's file. Without the option nothing of the cache travels.
 */
@ExtendWith(RegistryExtension.class)
class CacheMountExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path work;

  @BeforeAll
  static void environment() {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
  }

  /** A build in store {@code store} of a Dockerfile whose one step is {@code run}; its filesystem goes to out-STORE. */
  private static Processes.Result build(TestRegistry registry, String store, String run, String... cacheFlags)
      throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx-" + store));
    Files.writeString(ctx.resolve("Dockerfile"), "ARG BASE_IMAGE=busybox\nFROM ${BASE_IMAGE}\n"
        + "RUN --mount=type=cache,target=/root/.cache " + run + "\n");
    List<String> args = new ArrayList<>(List.of("build", "--platform", "linux/amd64", "--progress=plain",
        "--build-arg", "BASE_IMAGE=" + registry.busybox(), "-o", "type=local,dest=" + work.resolve("out-" + store)));
    args.addAll(List.of(cacheFlags));
    args.add(ctx.toString());
    return Cli.jbuild(Files.createDirectories(work.resolve("store-" + store)), args.toArray(String[]::new));
  }

  @Test
  void cacheMountContentsTravelWhenAskedFor(TestRegistry registry) throws Exception {
    Path dir = work.resolve("cache");
    build(registry, "a", "sh -c 'mkdir -p /root/.cache/pip && echo from-store-a > /root/.cache/pip/marker'",
        "--cache-to", "type=local,dest=" + dir + ",cache-mounts=true").assertSuccess();

    // the export's config names one cache mount, an uncompressed tar whose diff id is its digest
    JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
    JsonNode manifest = JSON.readTree(dir.resolve("blobs/sha256/"
        + Digest.parse(index.get("manifests").get(0).get("digest").asText()).hex()).toFile());
    JsonNode config = JSON.readTree(dir.resolve("blobs/sha256/"
        + Digest.parse(manifest.get("config").get("digest").asText()).hex()).toFile());
    assertEquals(1, config.get("mounts").size(), config.toString());
    JsonNode mount = config.get("mounts").elements().next();
    assertEquals("application/vnd.oci.image.layer.v1.tar", mount.get("mediaType").asText());
    assertEquals(mount.get("digest").asText(), mount.get("diffId").asText());
    String listing = Processes.run(List.of("tar", "-tvf", dir.resolve("blobs/sha256/"
        + Digest.parse(mount.get("digest").asText()).hex()).toString())).assertSuccess().stdout();
    assertTrue(listing.contains("pip/marker"), listing);

    Processes.Result b = build(registry, "b", "cp /root/.cache/pip/marker /seen", "--cache-from", "type=local,src=" + dir);
    b.assertSuccess();
    Cli.assertNoStackTrace(b);
    assertFalse(b.stderr().contains("WARNING"), b.stderr());
    assertEquals("from-store-a\n", Files.readString(work.resolve("out-b/seen")));

    // a tampered tar is not unpacked: a warning, and the cache starts empty
    Path tar = dir.resolve("blobs/sha256/" + Digest.parse(mount.get("digest").asText()).hex());
    byte[] bytes = Files.readAllBytes(tar);
    bytes[100] ^= 0x55; // inside the first entry's header
    Files.write(tar, bytes);
    Processes.Result t = build(registry, "t", "sh -c 'ls -A /root/.cache > /seen'", "--cache-from", "type=local,src=" + dir);
    t.assertSuccess();
    String id = config.get("mounts").fieldNames().next();
    assertTrue(t.stderr().contains("WARNING: cache from type=local,src=" + dir + ": cache mount " + id.substring(0, 12)
        + " not restored: content does not match its digest: expected " + mount.get("digest").asText() + ", got sha256:"),
        t.stderr());
    assertEquals("", Files.readString(work.resolve("out-t/seen")));

    // opt-in: an export without cache-mounts=true carries none, and the second store's cache starts empty
    Path plain = work.resolve("cache-plain");
    build(registry, "c", "sh -c 'mkdir -p /root/.cache/pip && echo from-store-c > /root/.cache/pip/marker'",
        "--cache-to", "type=local,dest=" + plain).assertSuccess();
    build(registry, "d", "sh -c 'ls -A /root/.cache > /seen'", "--cache-from", "type=local,src=" + plain).assertSuccess();
    assertEquals("", Files.readString(work.resolve("out-d/seen")));
  }
}
