package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.DockerDaemon;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --load} into a real Docker daemon (Debian's dockerd, started privately by the test),
 * then {@code docker run} of the loaded image; and the errors without a daemon or with two platforms.
 */
class LoadIntoDockerTest {
  @TempDir static Path work;
  static DockerDaemon docker;
  static Path store;

  @BeforeAll
  static void start() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
    store = Files.createDirectories(work.resolve("store"));
    docker = DockerDaemon.start(work.resolve("dockerd"), null);
  }

  @AfterAll
  static void stop() {
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  void aLoadedImageRunsInDocker() throws Exception {
    Path ctx = BusyboxContexts.withRootfs(work.resolve("ctx"), Platform.host(), "rootfs");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY rootfs/ /\nRUN echo built-by-jbuild > /marker\n"
        + "CMD [\"/bin/sh\", \"-c\", \"cat /marker; echo running as $(id -u)\"]\n");
    Processes.Result r = Cli.jbuild(store, Map.of("DOCKER_HOST", docker.host()),
        "build", "--progress=plain", "--load", "-t", "jbuild-load/app:1.0", ctx.toString());
    Cli.assertNoStackTrace(r);
    r.assertSuccess();
    assertTrue(r.stderr().contains("Loaded image: jbuild-load/app:1.0"), r.stderr());

    Processes.Result run = docker.docker(work, 120, "run", "--rm", "--network", "none", "jbuild-load/app:1.0");
    run.assertSuccess();
    assertEquals("built-by-jbuild\nrunning as 0\n", run.stdout());
  }

  @Test
  void withoutADaemonTheErrorSaysWhatIsMissing() throws Exception {
    Path ctx = Files.createDirectories(work.resolve("nodaemon"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\n");
    Path socket = work.resolve("nothing-here.sock");
    Processes.Result r = Cli.jbuild(store, Map.of("DOCKER_HOST", "unix://" + socket),
        "build", "--progress=plain", "--load", ctx.toString());
    Cli.assertNoStackTrace(r);
    assertEquals(1, r.exitCode(), r.stderr());
    assertEquals("ERROR: --load needs a running Docker daemon, but there is no socket at " + socket
        + " (from DOCKER_HOST): start dockerd (apt-get install -y docker.io), point DOCKER_HOST at its socket,"
        + " or write an archive with --output type=docker,dest=FILE.tar\n", r.stderr());
  }

  @Test
  void twoPlatformsCannotBeLoaded() throws Exception {
    Path ctx = Files.createDirectories(work.resolve("multi"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\n");
    Processes.Result r = Cli.jbuild(store, Map.of("DOCKER_HOST", docker.host()),
        "build", "--progress=plain", "--load", "--platform", "linux/amd64,linux/arm64", ctx.toString());
    Cli.assertNoStackTrace(r);
    assertEquals(1, r.exitCode(), r.stderr());
    assertEquals("ERROR: docker exporter does not currently support exporting manifest lists: --load takes one"
        + " --platform (push the multi-platform image with --push, or write --output type=oci,dest=FILE.tar)\n", r.stderr());
  }
}
