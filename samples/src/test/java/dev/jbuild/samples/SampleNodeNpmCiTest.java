package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Seed 001's first Dockerfile (samples/node-npm-ci): node:16-alpine, {@code npm ci} from the real
 * npm registry over HTTPS (which verifies only with the host's CAs: {@code --ca-certs=host}), and
 * {@code node index.js} answering HTTP on 8080 — run by podman for both architectures.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleNodeNpmCiTest {
  private static final Map<String, String> NODE_ARCH = Map.of("amd64", "x64", "arm64", "arm64");
  @RegisterExtension static final SampleRun.Extension run = new SampleRun.Extension("node-npm-ci");
  static SampleRun sample;
  static String firstDigest;

  @BeforeAll
  static void start() throws Exception {
    sample = run.get();
  }

  @Test
  @Order(1)
  void npmCiInstallsTheLockfilesPackages() throws Exception {
    sample.build("cold");
    firstDigest = sample.indexDigest();
    for (String arch : NODE_ARCH.keySet()) {
      Path rootfs = sample.unpack(arch);
      JsonNode installed = new ObjectMapper().readTree(rootfs.resolve("app/node_modules/ms/package.json").toFile());
      assertEquals("2.1.3", installed.get("version").asText(), "the version package-lock.json pins");
      assertTrue(Files.isRegularFile(rootfs.resolve("app/node_modules/.package-lock.json")), "npm ci's record");
      assertFalse(Files.exists(rootfs.resolve("run/jbuild")), "the lent CA bundle is not in the image");
      JsonNode config = sample.config(arch).get("config");
      assertEquals("[\"node\",\"index.js\"]", config.get("Entrypoint").toString());
      assertEquals("/app", config.get("WorkingDir").asText());
      assertFalse(config.get("Env").toString().contains("CA"), "no CA variable in the image: " + config.get("Env"));
    }
  }

  @Test
  @Order(2)
  void theServerAnswersOnPort8080OnBothArchitectures() throws Exception {
    for (Map.Entry<String, String> e : NODE_ARCH.entrySet()) {
      assertEquals(List.of("200 fun-docker on " + e.getValue() + ": 2 days = 172800000 ms (ms 2.1.3)\n"),
          sample.serve("linux/" + e.getKey(), "http://127.0.0.1:8080/"));
    }
  }

  @Test
  @Order(3)
  void theRebuildIsCached() {
    sample.assertFullyCached(sample.build("cached"), firstDigest);
  }
}
