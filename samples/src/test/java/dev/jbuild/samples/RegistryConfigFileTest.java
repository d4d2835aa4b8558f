package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * {@code --config} (buildkitd.toml syntax) lets an unmodified {@code FROM busybox} resolve through
 * a mirror of docker.io on the loopback registry; a bad config file is a clear error.
 */
@ExtendWith(RegistryExtension.class)
class RegistryConfigFileTest {
  @TempDir Path work;

  @BeforeAll
  static void environment() {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
  }

  @Test
  void dockerHubImagesComeFromTheConfiguredMirror(TestRegistry registry) throws Exception {
    Processes.run(List.of("skopeo", "copy", "--all", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false",
        "docker://" + registry.busybox(), "docker://" + registry.hostPort() + "/library/busybox:" + BaseImages.tag()))
        .assertSuccess();
    Path config = work.resolve("jbuild.toml");
    Files.writeString(config, "[registry.\"docker.io\"]\n  mirrors = [\"" + registry.hostPort() + "\"]\n");
    Path ctx = Files.createDirectories(work.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox:" + BaseImages.tag() + "\nRUN echo mirrored > /m\n");
    Path out = work.resolve("out");
    Processes.Result r = Cli.jbuild(Files.createDirectories(work.resolve("store")), Map.of(), "build",
        "--progress=plain", "--config", config.toString(), "--platform", "linux/amd64", "-o", "type=local,dest=" + out,
        ctx.toString());
    r.assertSuccess();
    assertTrue(r.stderr().contains("FROM docker.io/library/busybox@sha256:"), r.stderr());
    assertEquals("mirrored", Files.readString(out.resolve("m")).strip());
  }

  @Test
  void aBadConfigFileNamesTheFileAndTheKey() throws Exception {
    Path config = work.resolve("bad.toml");
    Files.writeString(config, "[registry.\"docker.io\"]\n  mirrors = \"not-a-list\"\n");
    Path ctx = Files.createDirectories(work.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\n");
    Processes.Result r = Cli.jbuild(Files.createDirectories(work.resolve("store")), Map.of(), "build",
        "--progress=quiet", "--config", config.toString(), ctx.toString());
    assertEquals(1, r.exitCode(), r.describe("a bad config"));
    Cli.assertNoStackTrace(r);
    assertTrue(r.stderr().contains("bad.toml: [registry.\"docker.io\"]: mirrors must be a list"), r.stderr());
  }
}
