package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Seed 002's multi-stage Dockerfile (samples/go-multistage): a golang:1.15-alpine3.12 builder
 * stage whose binary is copied into FROM scratch. The seed pins GOARCH=amd64, so both platforms'
 * images carry an x86-64 binary — which podman runs for linux/arm64 too (natively).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleGoMultistageTest {
  @RegisterExtension static final SampleRun.Extension run = new SampleRun.Extension("go-multistage");
  static SampleRun sample;
  static String firstDigest;

  @BeforeAll
  static void start() throws Exception {
    sample = run.get();
  }

  @Test
  @Order(1)
  void buildsTheScratchImageForBothPlatforms() throws Exception {
    sample.build("cold");
    firstDigest = sample.indexDigest();
    for (String arch : List.of("amd64", "arm64")) {
      JsonNode config = sample.config(arch);
      assertEquals(arch, config.get("architecture").asText());
      assertEquals("[\"/usr/local/bin/gostart\"]", config.get("config").get("Cmd").toString());
      Path rootfs = sample.unpack(arch);
      try (Stream<Path> files = Files.walk(rootfs)) {
        assertEquals(List.of("usr/local/bin/gostart"), files.filter(Files::isRegularFile)
            .map(p -> rootfs.relativize(p).toString()).toList(), "only the binary is in the scratch stage");
      }
      assertEquals(62, SampleRun.elfMachine(rootfs.resolve("usr/local/bin/gostart")),
          "GOARCH=amd64 in the seed: an x86-64 binary in the " + arch + " image too");
    }
  }

  @Test
  @Order(2)
  void podmanRunsTheCmdOnBothPlatforms() throws Exception {
    for (String platform : SampleRun.PLATFORMS) {
      String name = "go-multistage-" + platform.replace('/', '-');
      sample.podman.runDetached(name, platform, sample.image());
      try {
        String first = sample.firstLogLine(name);
        assertEquals("Hello World (linux/amd64)", first, "the seed's binary is amd64 on " + platform);
      } finally {
        sample.podman.remove(name);
      }
    }
  }

  @Test
  @Order(3)
  void theRebuildIsCached() {
    Processes.Result r = sample.build("cached");
    sample.assertFullyCached(r, firstDigest);
  }
}
