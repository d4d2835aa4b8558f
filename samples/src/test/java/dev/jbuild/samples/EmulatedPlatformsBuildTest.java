package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.BusyboxRootfs;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One build for six platforms on this amd64 host: each RUN step's {@code uname -m} is the
 * platform's own (qemu binfmt for the foreign ones, the 32-bit personality for linux/386).
 */
class EmulatedPlatformsBuildTest {
  private static final List<Platform> PLATFORMS = List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64"),
      Platform.parse("linux/arm/v7"), Platform.parse("linux/386"), Platform.parse("linux/ppc64le"),
      Platform.parse("linux/s390x"));
  @TempDir static Path work;

  @BeforeAll
  static void environment() {
    RootlessUser.requireRootOrRootless(); // RootlessBuildTest runs this class rootless too
    Prerequisites.requireOneOf("runc", "runc", "crun");
    PLATFORMS.forEach(Prerequisites::requireEmulation);
  }

  @Test
  void everyPlatformsRunStepReportsItsMachine() throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx"));
    for (Platform p : PLATFORMS) {
      BusyboxContexts.withRootfs(ctx, p, "rootfs-" + BusyboxRootfs.debianArchitecture(p));
    }
    Files.writeString(ctx.resolve("Dockerfile"), """
        FROM scratch
        ARG TARGETARCH
        ARG TARGETVARIANT
        COPY rootfs-${TARGETARCH}${TARGETVARIANT}/ /
        RUN uname -m > /machine
        """);
    // Debian names the roots; the Dockerfile uses TARGETARCH+TARGETVARIANT
    for (Platform p : PLATFORMS) {
      Path from = ctx.resolve("rootfs-" + BusyboxRootfs.debianArchitecture(p));
      Path to = ctx.resolve("rootfs-" + p.architecture() + p.variant());
      if (!from.equals(to)) {
        Files.move(from, to);
      }
    }
    String platforms = String.join(",", PLATFORMS.stream().map(Platform::toString).toList());
    Path out = work.resolve("multi.tar");
    Processes.Result r = Cli.jbuild(work.resolve("store"), "build", "--progress=plain", "--platform", platforms,
        "-o", "type=oci,dest=" + out, ctx.toString());
    r.assertSuccess();

    Path layout = Files.createDirectories(work.resolve("layout"));
    Processes.run(List.of("tar", "-xf", out.toString(), "-C", layout.toString())).assertSuccess();
    ObjectMapper json = new ObjectMapper();
    JsonNode top = json.readTree(layout.resolve("index.json").toFile());
    JsonNode index = json.readTree(blob(layout, top.get("manifests").get(0).get("digest").asText()).toFile());
    Map<String, String> machines = new TreeMap<>();
    for (JsonNode m : index.get("manifests")) {
      if (m.path("annotations").has("vnd.docker.reference.type")) {
        continue; // the default provenance's attestation manifests: no filesystem
      }
      JsonNode plat = m.get("platform");
      String name = Platform.normalise(plat.get("os").asText(), plat.get("architecture").asText(),
          plat.has("variant") ? plat.get("variant").asText() : "").toString();
      JsonNode manifest = json.readTree(blob(layout, m.get("digest").asText()).toFile());
      JsonNode layers = manifest.get("layers");
      Path last = blob(layout, layers.get(layers.size() - 1).get("digest").asText());
      Path x = Files.createDirectories(work.resolve("x-" + name.replace('/', '-')));
      Processes.run(List.of("tar", "-xzf", last.toString(), "-C", x.toString())).assertSuccess();
      machines.put(name, Files.readString(x.resolve("machine")).strip());
    }
    Map<String, String> expected = new TreeMap<>();
    for (Platform p : PLATFORMS) {
      expected.put(p.toString(), BusyboxRootfs.unameMachine(p));
    }
    assertEquals(expected, machines);
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs/sha256/" + digest.substring("sha256:".length()));
  }
}
