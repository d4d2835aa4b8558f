package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.cache.ChainIds;
import dev.jbuild.oci.Digest;
import dev.jbuild.testkit.FaultProxy;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A five-layer image made and pushed by umoci and skopeo (whiteouts, an opaque directory, owners,
 * links): jbuild pulls its layers in parallel, unpacking each while it downloads, on the FROM step;
 * the result equals umoci's own unpack; a corrupt layer leaves neither blob nor snapshot behind.
 */
class StreamedPullTest {
  @TempDir static Path work;
  static TestRegistry registry;
  static Path layout;
  static List<String> layers;
  static List<String> diffIds;

  @BeforeAll
  static void image() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireProgram("umoci", "umoci");
    Prerequisites.requireProgram("skopeo", "skopeo");
    registry = TestRegistry.start();
    layout = work.resolve("layout");
    run("umoci", "init", "--layout", layout.toString());
    run("umoci", "new", "--image", layout + ":multi");
    Path bundle = work.resolve("bundle");
    List<String> changes = List.of(
        "mkdir -p app/keep app/opaque etc && echo one > app/keep/a && echo old > app/opaque/old && echo x > etc/gone"
            + " && chown 1000:1001 app/keep/a && chmod 0640 app/keep/a",
        "head -c 300000 /dev/urandom > app/big.bin && ln -s keep/a app/link && ln app/keep/a app/hard",
        "rm etc/gone && echo two > app/keep/b && chmod 4755 app/keep/b",
        "rm -rf app/opaque && mkdir app/opaque && echo new > app/opaque/new",
        "mkdir -p usr/share/doc && for i in $(seq 200); do echo doc $i > usr/share/doc/f$i; done");
    for (String change : changes) {
      run("umoci", "unpack", "--image", layout + ":multi", bundle.toString());
      run("sh", "-c", "cd " + bundle.resolve("rootfs") + " && " + change);
      run("umoci", "repack", "--image", layout + ":multi", bundle.toString());
      run("rm", "-rf", bundle.toString());
    }
    run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + layout + ":multi", "docker://" + registry.hostPort() + "/multi:1");
    JsonNode manifest = json(run("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + registry.hostPort() + "/multi:1"));
    layers = new ArrayList<>();
    manifest.get("layers").forEach(l -> layers.add(l.get("digest").asText()));
    JsonNode config = json(run("skopeo", "inspect", "--config", "--raw", "--tls-verify=false",
        "docker://" + registry.hostPort() + "/multi:1"));
    diffIds = new ArrayList<>();
    config.get("rootfs").get("diff_ids").forEach(d -> diffIds.add(d.asText()));
    assertEquals(5, layers.size());
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void layersArePulledAndUnpackedOnTheFromStepAndEqualUmocisUnpack() throws Exception {
    Path ctx = context(registry.hostPort());
    Path store = work.resolve("store-ok");
    Path out = work.resolve("out");
    Processes.Result r = Cli.jbuild(store, "build", "--progress=rawjson", "-o", "type=local,dest=" + out, ctx.toString())
        .assertSuccess();
    List<JsonNode> events = events(r);
    int from = vertex(events, "[1/1] FROM " + registry.hostPort() + "/multi");
    List<String> statuses = new ArrayList<>();
    int completed = -1;
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      if (e.get("vertex").asInt() == from && e.get("type").asText().equals("status")) {
        statuses.add(e.get("message").asText());
      }
      if (e.get("vertex").asInt() == from && e.get("type").asText().equals("completed")) {
        completed = i;
      }
    }
    assertEquals(layers.stream().map(d -> "pulling and extracting " + d).sorted().toList(), statuses.stream().sorted().toList(),
        "every layer is pulled and extracted on the FROM step: " + events);
    assertTrue(completed > 0);
    for (int i = 0; i < layers.size(); i++) {
      List<String> chain = ChainIds.of(diffIds.subList(0, i + 1).stream().map(Digest::parse).toList()).stream()
          .map(Digest::hex).toList();
      assertTrue(Files.isDirectory(store.resolve("snapshots").resolve(chain.get(i))), "layer " + i + " is unpacked");
    }

    Path expected = work.resolve("umoci-unpack");
    run("umoci", "unpack", "--image", layout + ":multi", expected.toString());
    assertEquals(listing(expected.resolve("rootfs")), listing(out));
    assertEquals("f 4755 0:0 two", listing(out).get("app/keep/b"));
    assertEquals("f 640 1000:1001 one n2", listing(out).get("app/keep/a"));
    assertFalse(Files.exists(out.resolve("etc/gone")), "the whiteout removed it");
    assertFalse(Files.exists(out.resolve("app/opaque/old")), "the opaque directory hid it");
  }

  @Test
  void aCorruptLayerLeavesNeitherBlobNorSnapshot() throws Exception {
    String bad = layers.get(2);
    try (FaultProxy proxy = new FaultProxy(registry.hostPort())) {
      proxy.add(FaultProxy.Rule.of("GET", "/v2/multi/blobs/" + bad, FaultProxy.Fault.CORRUPT, -1));
      Path store = work.resolve("store-corrupt");
      Processes.Result r = Cli.jbuild(store, "build", "--progress=plain", "-o", "type=local,dest=" + work.resolve("out-bad"),
          context(proxy.hostPort()).toString());
      assertEquals(1, r.exitCode(), r.stderr());
      assertTrue(r.stderr().contains("multi@" + bad), r.stderr());
      assertFalse(Files.exists(store.resolve("blobs/sha256/" + Digest.parse(bad).hex())), "no corrupt blob is kept");
      Digest chainId = ChainIds.of(diffIds.subList(0, 3).stream().map(Digest::parse).toList()).get(2);
      assertFalse(Files.exists(store.resolve("snapshots").resolve(chainId.hex())), "no half-unpacked snapshot");
      try (Stream<Path> left = Files.walk(store.resolve("tmp"))) {
        assertEquals(List.of(store.resolve("tmp")), left.toList(), "no staging dir is left behind");
      }
    }
  }

  private Path context(String registryHost) throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx-" + System.nanoTime()));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + registryHost + "/multi:1\n");
    return ctx;
  }

  private static int vertex(List<JsonNode> events, String name) {
    return events.stream().filter(e -> e.get("type").asText().equals("started") && e.get("name").asText().startsWith(name))
        .findFirst().orElseThrow(() -> new AssertionError("no step " + name + " in " + events)).get("vertex").asInt();
  }

  private static List<JsonNode> events(Processes.Result r) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String line : r.stderr().split("\n")) {
      if (line.startsWith("{")) {
        events.add(new ObjectMapper().readTree(line));
      }
    }
    return events;
  }

  private static JsonNode json(String s) throws Exception {
    return new ObjectMapper().readTree(s);
  }

  private static String run(String... cmd) {
    return Processes.run(List.of(cmd)).assertSuccess().stdout();
  }

  /** Every path under root as "type mode uid:gid[ content][ nlinks]| -> link", sorted. */
  private static TreeMap<String, String> listing(Path root) throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        if (p.equals(root)) {
          continue;
        }
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,nlink", LinkOption.NOFOLLOW_LINKS);
        String type = Files.isSymbolicLink(p) ? "l" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "d" : "f";
        String e = type + " " + Integer.toOctalString((Integer) a.get("mode") & 07777) + " " + a.get("uid") + ":" + a.get("gid");
        if (type.equals("l")) {
          e += " -> " + Files.readSymbolicLink(p);
        } else if (type.equals("f")) {
          e += " " + (Files.size(p) > 1000 ? Digest.sha256(Files.readAllBytes(p)).toString() : Files.readString(p).strip())
              + ((Integer) a.get("nlink") > 1 ? " n" + a.get("nlink") : "");
        }
        out.put(root.relativize(p).toString(), e);
      }
    }
    return out;
  }
}
