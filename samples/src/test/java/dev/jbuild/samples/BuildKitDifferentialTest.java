package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.testkit.DockerDaemon;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Builds each Dockerfile of {@code src/test/resources/differential/} with jbuild and with Docker
 * 20.10's BuildKit (a private dockerd, base images from the test registry) and compares the image
 * configs and root filesystems. Differences that are deliberate are listed in
 * docs/compatibility.md and asserted here as such; anything else fails.
 *
 * <p>A case is a directory: its Dockerfile (which starts {@code ARG BASE} / {@code FROM $BASE},
 * the busybox image), its context files, an optional {@code setup.sh} run in a copy of it first
 * (for what git cannot hold: owners, hardlinks, archives) and an optional {@code flags} file of
 * build flags given to both builders ({@code {ctx}} stands for the context directory).
 */
@ExtendWith({RegistryExtension.class, SharedDockerDaemon.class})
class BuildKitDifferentialTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CORPUS = Path.of("src/test/resources/differential").toAbsolutePath();
  /** A build arg given without a value takes this from the environment, in both builders. */
  private static final Map<String, String> ENV = Map.of("DIFF_FROM_ENV", "from the environment");

  @TempDir static Path work;
  private static TestRegistry registry;
  private static DockerDaemon docker;

  @BeforeAll
  static void peers(TestRegistry r, DockerDaemon d) {
    Prerequisites.requireRoot();
    registry = r;
    docker = d;
  }

  static Stream<String> cases() throws IOException {
    try (Stream<Path> s = Files.list(CORPUS)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameConfigAndRootfsAsBuildKit(String name) throws Exception {
    Path ctx = work.resolve(name);
    Processes.run(List.of("cp", "-a", CORPUS.resolve(name).toString(), ctx.toString())).assertSuccess();
    if (Files.exists(ctx.resolve("setup.sh"))) {
      Processes.run(List.of("bash", "setup.sh"), ctx, Map.of(), 60).assertSuccess();
      Files.delete(ctx.resolve("setup.sh"));
    }
    List<String> flags = new ArrayList<>(List.of("--build-arg", "BASE=" + registry.busybox()));
    if (Files.exists(ctx.resolve("flags"))) {
      for (String line : Files.readAllLines(ctx.resolve("flags"))) {
        if (!line.isBlank() && !line.startsWith("#")) {
          flags.add(line.strip().replace("{ctx}", ctx.toString()));
        }
      }
      Files.delete(ctx.resolve("flags"));
    }
    Path out = Files.createDirectories(work.resolve(name + "-out"));
    String tag = "jbuild-diff/" + name + ":latest";

    List<String> dockerBuild = new ArrayList<>(List.of("/usr/bin/docker", "-H", docker.host(), "build", "--network", "none"));
    dockerBuild.addAll(flags);
    Map<String, String> dockerEnv = new java.util.HashMap<>(ENV);
    dockerEnv.put("DOCKER_BUILDKIT", "1");
    dockerEnv.put("DOCKER_CONFIG", work.resolve("docker-client").toString());
    List<String> toTar = new ArrayList<>(dockerBuild);
    toTar.addAll(List.of("-o", "type=tar,dest=" + out.resolve("docker-rootfs.tar"), "."));
    Processes.run(toTar, ctx, dockerEnv, 600).assertSuccess();
    List<String> toImage = new ArrayList<>(dockerBuild);
    toImage.addAll(List.of("-t", tag, "."));
    Processes.run(toImage, ctx, dockerEnv, 600).assertSuccess();
    docker.docker(ctx, 300, "save", "-o", out.resolve("docker-image.tar").toString(), tag).assertSuccess();
    docker.docker(ctx, 300, "rmi", tag).assertSuccess(); // the daemon's data is kept between runs: keep it small

    List<String> jbuild = new ArrayList<>(List.of("build", "--progress=plain", "-t", tag,
        "-o", "type=tar,dest=" + out.resolve("jbuild-rootfs.tar"), "-o", "type=docker,dest=" + out.resolve("jbuild-image.tar")));
    jbuild.addAll(flags);
    jbuild.add(ctx.toString());
    Processes.Result j = Cli.jbuild(Files.createDirectories(work.resolve("store")), ENV, jbuild.toArray(String[]::new));
    j.assertSuccess();
    Cli.assertNoStackTrace(j);

    JsonNode dockerConfig = config(out.resolve("docker-image.tar"));
    JsonNode jbuildConfig = config(out.resolve("jbuild-image.tar"));
    assertEquals(comparable(dockerConfig).toPrettyString(), comparable(jbuildConfig).toPrettyString(),
        name + ": image config");
    assertVariant(dockerConfig, jbuildConfig);
    assertEquals(structure(dockerConfig), structure(jbuildConfig), name + ": layers and history entries");
    assertEquals(listing(RootfsListing.of(out.resolve("docker-rootfs.tar"))),
        listing(RootfsListing.of(out.resolve("jbuild-rootfs.tar"))), name + ": root filesystem");
  }

  /** The config fields both builders must agree on: the container config (empties dropped), os, architecture. */
  private static ObjectNode comparable(JsonNode config) {
    ObjectNode c = JSON.createObjectNode();
    c.put("os", config.path("os").asText());
    c.put("architecture", config.path("architecture").asText());
    ObjectNode container = ((ObjectNode) config.path("config").deepCopy());
    for (Iterator<Map.Entry<String, JsonNode>> it = container.fields(); it.hasNext(); ) {
      JsonNode v = it.next().getValue();
      if (v.isNull() || (v.isContainerNode() && v.isEmpty()) || (v.isTextual() && v.asText().isEmpty())) {
        it.remove();
      }
    }
    c.set("config", sorted(container));
    return c;
  }

  private static JsonNode sorted(JsonNode n) {
    if (!n.isObject()) {
      return n;
    }
    ObjectNode out = JSON.createObjectNode();
    new TreeSet<String>(iterable(n.fieldNames())).forEach(k -> out.set(k, sorted(n.get(k))));
    return out;
  }

  private static <T> List<T> iterable(Iterator<T> it) {
    List<T> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  /**
   * Documented difference: jbuild writes the platform's variant (v8 for arm64, as the OCI spec and
   * current BuildKit do); Docker 20.10's BuildKit leaves it out. Elsewhere both have none.
   */
  private static void assertVariant(JsonNode docker, JsonNode jbuild) {
    String arch = docker.path("architecture").asText();
    assertEquals("", docker.path("variant").asText(), "Docker 20.10 writes no variant");
    assertEquals(arch.equals("arm64") ? "v8" : "", jbuild.path("variant").asText());
  }

  /** How many layers, and which history entries are empty: the shape of the image. */
  private static List<String> structure(JsonNode config) {
    List<String> out = new ArrayList<>();
    out.add("layers=" + config.path("rootfs").path("diff_ids").size());
    for (JsonNode h : config.path("history")) {
      out.add(h.path("empty_layer").asBoolean(false) ? "empty" : "layer");
    }
    return out;
  }

  /** One line per path: a failure shows exactly which paths differ. */
  private static String listing(Map<String, String> entries) {
    StringBuilder sb = new StringBuilder();
    entries.forEach((k, v) -> sb.append(k).append("  ").append(v).append('\n'));
    return sb.toString();
  }

  /** The config of the image in a docker-archive tar ({@code docker save}, jbuild's type=docker). */
  private static JsonNode config(Path archive) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (InputStream raw = Files.newInputStream(archive); TarArchiveInputStream in = new TarArchiveInputStream(raw)) {
      TarArchiveEntry e;
      while ((e = in.getNextTarEntry()) != null) {
        if (e.isFile() && e.getSize() < (1 << 20)) { // manifests and configs; layers are compared as the rootfs
          files.put(e.getName(), in.readAllBytes());
        }
      }
    }
    JsonNode manifest = JSON.readTree(files.get("manifest.json"));
    return JSON.readTree(files.get(manifest.get(0).get("Config").asText()));
  }
}
