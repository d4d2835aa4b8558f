package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Digest;
import dev.jbuild.testkit.FaultProxy;
import dev.jbuild.testkit.FaultProxy.Fault;
import dev.jbuild.testkit.FaultProxy.Rule;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls and pushes through {@link FaultProxy} in front of the real registry. Transient faults
 * (5xx, resets, slow, cut and corrupted bodies) are retried and the pushed index is byte for byte
 * the one a clean push gives; persistent faults (a blob that never uploads, 401 in the middle of a
 * push, a tag that cannot be written) fail the build clearly and leave the tag on the previous,
 * complete image.
 */
@ExtendWith(RegistryExtension.class)
class RegistryFaultsTest {
  private static final String BLOB = "/v2/[^?]+/blobs/sha256:[0-9a-f]{64}";
  @TempDir Path work;
  FaultProxy proxy;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  private Path context(String base, String content) throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx-" + content));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + base + "\nCOPY file /file\n");
    Files.writeString(ctx.resolve("file"), content);
    return ctx;
  }

  private Processes.Result build(String store, Path ctx, String tag) {
    Processes.Result r = Cli.jbuild(work.resolve(store), Map.of("SOURCE_DATE_EPOCH", "0"), "build", "--progress=plain",
        "--platform", "linux/amd64,linux/arm64", "-t", tag, "--push",
        // the subject is the push: clean and faulty pushes are compared byte for byte under different tags,
        // which the default provenance's subjects would name
        "--provenance=false", ctx.toString());
    Cli.assertNoStackTrace(r);
    return r;
  }

  private static Digest pushed(String ref) {
    String raw = Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref))
        .assertSuccess().stdout();
    return Digest.sha256(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** skopeo copies the whole index (every manifest, config and layer, digests checked) out of the registry. */
  private void assertComplete(String ref) {
    Path dir = work.resolve("copy-" + System.nanoTime());
    Processes.run(List.of("skopeo", "copy", "--all", "--src-tls-verify=false", "docker://" + ref, "oci:" + dir))
        .assertSuccess();
  }

  @Test
  void transientFaultsAreRetriedAndThePushIsExact(TestRegistry registry) throws Exception {
    Prerequisites.requireProgram("skopeo", "skopeo");
    proxy = new FaultProxy(registry.hostPort());
    String base = proxy.hostPort() + registry.busybox().substring(registry.hostPort().length());
    Path ctx = context(base, "same");
    build("clean", ctx, proxy.hostPort() + "/clean:1").assertSuccess();
    Digest clean = pushed(registry.hostPort() + "/clean:1");

    List<Rule> rules = List.of(
        Rule.of("GET", "/v2/busybox/manifests/.*", Fault.RESET, 1),
        Rule.status("GET", BLOB, 503, 1),
        Rule.of("GET", BLOB, Fault.TRUNCATE, 1),
        Rule.of("GET", BLOB, Fault.CORRUPT, 1),
        Rule.of("GET", BLOB, Fault.SLOW_BODY, 2),
        Rule.status("HEAD", BLOB, 502, 1),
        Rule.status("POST", "/v2/faulty/blobs/uploads/.*", 503, 1),
        Rule.of("PUT", "/v2/faulty/blobs/uploads/.*", Fault.RESET, 1),
        Rule.status("PUT", "/v2/faulty/manifests/.*", 500, 1));
    rules.forEach(proxy::add);
    Processes.Result r = build("faulty", ctx, proxy.hostPort() + "/faulty:1");
    assertEquals(0, r.exitCode(), r.stderr() + String.join("\n", proxy.log()));
    for (Rule rule : rules) {
      assertTrue(rule.spent(), "fired: " + rule + "\n" + String.join("\n", proxy.log()));
    }
    assertEquals(10, proxy.faults());
    assertEquals(clean, pushed(registry.hostPort() + "/faulty:1"), "the same bytes as the clean push");
    assertComplete(registry.hostPort() + "/faulty:1");
  }

  @Test
  void persistentFaultsNeverMoveTheTag(TestRegistry registry) throws Exception {
    Prerequisites.requireProgram("skopeo", "skopeo");
    proxy = new FaultProxy(registry.hostPort());
    String tag = proxy.hostPort() + "/stable:1";
    build("store", context(registry.busybox(), "v1"), tag).assertSuccess();
    Digest v1 = pushed(registry.hostPort() + "/stable:1");
    proxy.reset();

    // a blob that never uploads
    proxy.add(Rule.status("PUT", "/v2/stable/blobs/uploads/.*", 500, -1));
    Processes.Result blob = build("store", context(registry.busybox(), "v2"), tag);
    assertEquals(1, blob.exitCode());
    assertTrue(blob.stderr().contains("ERROR: pushing " + tag + ": "), blob.stderr());
    assertTrue(blob.stderr().contains("500"), blob.stderr());
    assertFalse(proxy.log().stream().anyMatch(l -> l.startsWith("PUT /v2/stable/manifests/")),
        "no manifest was written:\n" + String.join("\n", proxy.log()));

    // 401 in the middle of a push: the first upload goes through, the rest are refused
    proxy.reset();
    proxy.add(Rule.status("POST", "/v2/stable/blobs/uploads/.*", 401, -1).afterMatches(1));
    Processes.Result unauthorized = build("store", context(registry.busybox(), "v3"), tag);
    assertEquals(1, unauthorized.exitCode());
    assertTrue(unauthorized.stderr().contains("ERROR: pushing " + tag + ": "), unauthorized.stderr());
    assertTrue(unauthorized.stderr().contains("ERROR: pushing " + tag + ": authentication required for "
        + proxy.hostPort() + "/stable@sha256:"), unauthorized.stderr());

    // every manifest by digest goes up, but the tag cannot be written
    proxy.reset();
    proxy.add(Rule.status("PUT", "/v2/stable/manifests/1", 500, -1));
    Processes.Result tagFails = build("store", context(registry.busybox(), "v4"), tag);
    assertEquals(1, tagFails.exitCode());
    assertTrue(tagFails.stderr().contains("500"), tagFails.stderr());

    assertEquals(v1, pushed(registry.hostPort() + "/stable:1"), "the tag still names the first image");
    assertComplete(registry.hostPort() + "/stable:1");
  }
}
