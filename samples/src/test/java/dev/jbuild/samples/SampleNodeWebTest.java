package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Seed 001's second Dockerfile (samples/node-web), the web service of its compose file:
 * node:18-alpine, {@code npm ci} of express, {@code COPY . .} under .dockerignore,
 * {@code EXPOSE 3000} and {@code CMD ["npm", "start"]} — the server answers on 3000 under podman.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleNodeWebTest {
  private static final Map<String, String> NODE_ARCH = Map.of("amd64", "x64", "arm64", "arm64");
  @RegisterExtension static final SampleRun.Extension run = new SampleRun.Extension("node-web");
  static SampleRun sample;
  static String firstDigest;

  @BeforeAll
  static void start() throws Exception {
    sample = run.get();
  }

  @Test
  @Order(1)
  void buildsTheWebServiceImage() throws Exception {
    sample.build("cold");
    firstDigest = sample.indexDigest();
    for (String arch : NODE_ARCH.keySet()) {
      JsonNode config = sample.config(arch).get("config");
      assertEquals("[\"npm\",\"start\"]", config.get("Cmd").toString());
      assertEquals("{\"3000/tcp\":{}}", config.get("ExposedPorts").toString());
      Path rootfs = sample.unpack(arch);
      assertEquals("4.21.2", new ObjectMapper().readTree(rootfs.resolve("app/node_modules/express/package.json")
          .toFile()).get("version").asText());
      assertEquals(Files.readString(sample.dir().resolve("server.js")), Files.readString(rootfs.resolve("app/server.js")));
    }
  }

  @Test
  @Order(2)
  void npmStartServesOnTheExposedPort() throws Exception {
    for (Map.Entry<String, String> e : NODE_ARCH.entrySet()) {
      assertEquals(List.of("200 node-web on " + e.getValue() + ": express 4.21.2\n", "200 {\"status\":\"ok\"}"),
          sample.serve("linux/" + e.getKey(), "http://127.0.0.1:3000/", "http://127.0.0.1:3000/health"));
    }
  }

  @Test
  @Order(3)
  void theRebuildIsCached() {
    sample.assertFullyCached(sample.build("cached"), firstDigest);
  }
}
