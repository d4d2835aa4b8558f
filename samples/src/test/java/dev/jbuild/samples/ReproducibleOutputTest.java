package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.testkit.BaseImages;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * With SOURCE_DATE_EPOCH, two builds of samples/hello that share nothing — separate stores
 * (JBUILD_ROOT), contexts at different paths checked out at different moments, different umasks —
 * give the same two-platform index digest, both pushed and as an OCI archive, and byte-identical
 * archives. (File times after the epoch are clamped to it; older ones are kept, as BuildKit does,
 * so the contexts' files are newer than the epoch, like a fresh checkout.)
 */
@ExtendWith(RegistryExtension.class)
class ReproducibleOutputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path work;

  @BeforeAll
  static void environment() {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
  }

  /** samples/hello copied to {@code dir}, with the same modes but the given file times. */
  private static Path context(Path dir, Instant mtime) throws Exception {
    Files.createDirectories(dir);
    Path src = BaseImages.projectRoot().resolve("samples/hello");
    for (String name : List.of("Dockerfile", "hello.sh")) {
      Path f = dir.resolve(name);
      Files.copy(src.resolve(name), f);
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
      Files.setLastModifiedTime(f, FileTime.from(mtime));
    }
    return dir;
  }

  /** The CLI as Cli.jbuild runs it, under a umask. */
  private static Processes.Result jbuild(Path store, String umask, String... args) {
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.jbuild.cli.Main"));
    cmd.addAll(List.of(args));
    Map<String, String> env = new HashMap<>();
    env.put("JBUILD_ROOT", store.toString());
    env.put("SOURCE_DATE_EPOCH", "1700000000");
    return Processes.run(cmd, null, env, 900);
  }

  private record Outcome(String pushed, String archived, byte[] archive) {}

  private static Outcome build(TestRegistry registry, String name, Path context, String umask) throws Exception {
    Path out = Files.createDirectories(work.resolve("out-" + name));
    Path store = Files.createDirectories(work.resolve("store-" + name));
    // one name for both: the default provenance names the image in its subjects, as BuildKit's does
    Processes.Result r = jbuild(store, umask, "build", "--progress=plain", "--platform", "linux/amd64,linux/arm64",
        "--build-arg", "BASE_IMAGE=" + registry.busybox(), "-t", registry.hostPort() + "/repro:same", "--push",
        "-o", "type=oci,dest=" + out.resolve("image.tar") + ",name=repro:" + "same" + ",rewrite-timestamp=true",
        "--metadata-file", out.resolve("meta.json").toString(), context.toString());
    r.assertSuccess();
    Cli.assertNoStackTrace(r);
    String pushed = JSON.readTree(Files.readString(out.resolve("meta.json"))).get("containerimage.digest").asText();
    String archived = JSON.readTree(Processes.run(List.of("tar", "-xOf", out.resolve("image.tar").toString(), "index.json"))
        .assertSuccess().stdout()).get("manifests").get(0).get("digest").asText();
    return new Outcome(pushed, archived, Files.readAllBytes(out.resolve("image.tar")));
  }

  @Test
  void twoUnrelatedBuildsGiveTheSameDigests(TestRegistry registry) throws Exception {
    Outcome a = build(registry, "a", context(work.resolve("ctx-a"), Instant.parse("2024-01-01T00:00:00Z")), "022");
    Outcome b = build(registry, "b", context(work.resolve("elsewhere/deeper/ctx-b"), Instant.now()), "077");
    assertEquals(a.pushed(), a.archived(), "the push and the archive are the same image");
    assertEquals(a.pushed(), b.pushed());
    assertEquals(a.archived(), b.archived());
    assertArrayEquals(a.archive(), b.archive(), "the OCI archives are byte-identical");
    String raw = Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.hostPort() + "/repro:same")).assertSuccess().stdout();
    assertEquals(a.pushed(), dev.jbuild.oci.Digest.sha256(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
  }
}
