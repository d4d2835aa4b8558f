package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * samples/cache-mount: apt's archives and lists in {@code RUN --mount=type=cache}. The packages
 * land in the store's cache mount, not in the image, and a rebuild without the layer cache
 * downloads none of them again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleCacheMountTest {
  @RegisterExtension static final SampleRun.Extension run = new SampleRun.Extension("cache-mount");
  static SampleRun sample;

  @BeforeAll
  static void start() throws Exception {
    sample = run.get();
  }

  @Test
  @Order(1)
  void thePackagesStayInTheCacheMountNotInTheImage() throws Exception {
    sample.build("cold");
    for (String arch : List.of("amd64", "arm64")) {
      Path rootfs = sample.unpack(arch);
      assertTrue(Files.isRegularFile(rootfs.resolve("usr/bin/jq")), "jq installed in the " + arch + " image");
      assertEquals(List.of(), debsUnder(rootfs.resolve("var/cache/apt")), "no .deb in the image");
      assertEquals(1, debsUnder(sample.store.resolve("cache-mounts")).stream()
          .filter(n -> n.startsWith("jq_") && n.endsWith("_" + arch + ".deb")).count(),
          "the " + arch + " jq package is kept in the cache mount");
    }
  }

  @Test
  @Order(2)
  void podmanRunsJq() {
    for (String platform : SampleRun.PLATFORMS) {
      assertEquals("jq-1.6", sample.podman.run(platform, sample.image()).assertSuccess().stdout().strip());
    }
  }

  @Test
  @Order(3)
  void aRebuildWithoutTheLayerCacheDownloadsNoPackage() {
    Processes.Result r = sample.build("no-cache", "--no-cache");
    long fromCache = r.stderr().lines().filter(l -> l.matches("#\\d+ [0-9.]+ Need to get 0 B/.* of archives\\.")).count();
    assertEquals(2, fromCache, "both platforms' apt-get install found every package in the cache:\n" + r.stderr());
  }

  private static List<String> debsUnder(Path dir) throws java.io.IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".deb")).sorted().toList();
    }
  }
}
