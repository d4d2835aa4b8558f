package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.BaseImages;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution tarball ({@code scripts/dist.sh}, packing the jars this reactor built) installed
 * into a temporary prefix with one {@code tar} command: {@code jbuild version} names the commit,
 * it builds samples/hello, and its bash completion completes commands and flags.
 */
@ExtendWith(RegistryExtension.class)
class DistributionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path work;
  static Path prefix;
  static Map<String, String> env;

  @BeforeAll
  static void install() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
    Path root = BaseImages.projectRoot();
    Processes.Result dist = Processes.run(List.of("bash", root.resolve("scripts/dist.sh").toString(), "--no-build",
        work.resolve("dist").toString()), root, Map.of(), 300).assertSuccess();
    Path tarball = Path.of(dist.stdout().strip());
    assertTrue(tarball.getFileName().toString().matches("jbuild-[0-9][^/]*\\.tar\\.gz"), tarball.toString());
    prefix = Files.createDirectories(work.resolve("prefix"));
    Processes.run(List.of("tar", "-xzf", tarball.toString(), "-C", prefix.toString(), "--strip-components=1")).assertSuccess();
    // the launcher's start-up archive goes to the user's cache: keep it in the test's directory
    env = Map.of("HOME", work.resolve("home").toString(), "JBUILD_ROOT", work.resolve("store").toString(),
        "PATH", prefix.resolve("bin") + ":" + System.getenv("PATH"));
  }

  private static Processes.Result jbuild(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of(prefix.resolve("bin/jbuild").toString()));
    cmd.addAll(List.of(args));
    Processes.Result r = Processes.run(cmd, work, env, 900);
    Cli.assertNoStackTrace(r);
    return r;
  }

  @Test
  void versionNamesTheCommit() {
    String commit = Processes.run(List.of("git", "-C", BaseImages.projectRoot().toString(), "rev-parse", "--short=12", "HEAD"))
        .assertSuccess().stdout().strip();
    List<String> lines = jbuild("version").assertSuccess().stdout().lines().toList();
    assertTrue(lines.get(0).matches("jbuild \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), lines.get(0));
    assertEquals(" commit:  " + commit, lines.get(1));
    assertEquals(lines, jbuild("--version").assertSuccess().stdout().lines().toList());
  }

  @Test
  void theInstalledJbuildBuildsSamplesHello(TestRegistry registry) throws Exception {
    Path hello = BaseImages.projectRoot().resolve("samples/hello");
    Path tar = work.resolve("hello.tar");
    jbuild("build", "--progress=plain", "--build-arg", "BASE_IMAGE=" + registry.busybox(), "--build-arg", "GIT_COMMIT=abc",
        "-o", "type=oci,dest=" + tar, hello.toString()).assertSuccess();
    JsonNode config = JSON.readTree(Processes.run(List.of("skopeo", "inspect", "--config", "oci-archive:" + tar))
        .assertSuccess().stdout());
    assertEquals("hello", config.at("/config/Labels/org.opencontainers.image.title").asText());
    assertEquals("abc", config.at("/config/Labels/org.opencontainers.image.revision").asText());
    assertEquals(Platform.host().architecture(), config.get("architecture").asText());
  }

  @Test
  void bashCompletionCompletesCommandsAndFlags() {
    Path script = prefix.resolve("share/bash-completion/completions/jbuild");
    String complete = "source '" + script + "'; COMP_WORDS=(%s); COMP_CWORD=%d; COMP_LINE='%s'; COMP_POINT=${#COMP_LINE};"
        + " _complete_jbuild; printf '%%s\\n' \"${COMPREPLY[@]}\"";
    String commands = Processes.run(List.of("bash", "-c", String.format(complete, "jbuild ima", 1, "jbuild ima")))
        .assertSuccess().stdout();
    assertEquals("imagetools\n", commands);
    String flags = Processes.run(List.of("bash", "-c", String.format(complete, "jbuild build --pu", 2, "jbuild build --pu")))
        .assertSuccess().stdout();
    assertEquals(List.of("--pull", "--push"), flags.lines().sorted().toList());
    assertTrue(prefixFile("share/zsh/site-functions/_jbuild").startsWith("#compdef jbuild\n"));
    assertTrue(prefixFile("share/doc/jbuild/jbuild.txt").contains("jbuild imagetools create"));
  }

  private static String prefixFile(String path) {
    try {
      return Files.readString(prefix.resolve(path));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
