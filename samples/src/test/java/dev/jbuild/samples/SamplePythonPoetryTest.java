package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.testkit.Processes;
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
 * Seed 004's Dockerfile (samples/python-poetry): python:3.11.1-slim, {@code apt-get update &&
 * apt-get install vim curl build-essential … netcat} from Debian's mirror inside RUN,
 * {@code pip install poetry}, {@code poetry update} into an in-project venv with the lockfile's
 * (vendored) dependency, and the shell-form CMD running an alembic migration then the app.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SamplePythonPoetryTest {
  private static final Map<String, String> MACHINE = Map.of("amd64", "x86_64", "arm64", "aarch64");
  private static final String WORKDIR = "home/cucuridas/chatbot_tg";
  @RegisterExtension static final SampleRun.Extension run = new SampleRun.Extension("python-poetry");
  static SampleRun sample;
  static String firstDigest;

  @BeforeAll
  static void start() throws Exception {
    sample = run.get();
  }

  @Test
  @Order(1)
  void aptPipAndPoetryRunInsideTheBuild() throws Exception {
    sample.build("cold");
    firstDigest = sample.indexDigest();
    for (String arch : MACHINE.keySet()) {
      JsonNode config = sample.config(arch).get("config");
      List<String> env = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(config.get("Env"), List.class);
      assertTrue(env.contains("PYTHONUNBUFFERED=1") && env.contains("TZ=Asia/Seoul"), env.toString());
      assertEquals("{\"8000/tcp\":{}}", config.get("ExposedPorts").toString());
      assertEquals("[\"/bin/sh\",\"-c\",\"poetry run alembic upgrade head &&     poetry run python3 ./app/main.py\"]",
          config.get("Cmd").toString());
      Path rootfs = sample.unpack(arch);
      assertEquals("Asia/Seoul", Files.readString(rootfs.resolve("etc/timezone")).strip());
      for (String installed : List.of("usr/bin/vim.basic", "usr/bin/curl", "usr/bin/gcc", "usr/bin/nc.openbsd")) {
        assertTrue(Files.exists(rootfs.resolve(installed)), installed + " installed by apt-get in the " + arch + " image");
      }
      assertEquals(List.of(), listDir(rootfs.resolve("var/lib/apt/lists")).stream()
          .filter(n -> !n.equals("partial") && !n.equals("lock")).toList(), "the RUN removed apt's lists");
      Path venv = rootfs.resolve(WORKDIR + "/.venv");
      assertTrue(Files.isRegularFile(venv.resolve("pyvenv.cfg")), "poetry made the venv in the project");
      assertTrue(Files.readString(rootfs.resolve(WORKDIR + "/poetry.lock")).contains("name = \"greeting\""));
      assertTrue(listDir(venv.resolve("lib/python3.11/site-packages")).contains("greeting.pth"),
          "poetry installed the locked path dependency (develop) into the venv");
    }
  }

  @Test
  @Order(2)
  void theCmdMigratesAndRunsTheAppOnBothArchitectures() {
    for (Map.Entry<String, String> e : MACHINE.entrySet()) {
      Processes.Result r = sample.podman.run("linux/" + e.getKey(), sample.image()).assertSuccess();
      assertEquals("chatbot_tg on " + e.getValue() + ": 안녕하세요 from greeting 0.1.0 (schema revision 0001)",
          r.stdout().strip(), r.stderr());
    }
  }

  @Test
  @Order(3)
  void theRebuildIsCached() {
    sample.assertFullyCached(sample.build("cached"), firstDigest);
  }

  private static List<String> listDir(Path dir) throws java.io.IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
