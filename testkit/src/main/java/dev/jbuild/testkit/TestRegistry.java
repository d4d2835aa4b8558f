package dev.jbuild.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real CNCF distribution registry ({@code docker-registry} from Debian) listening on a free
 * loopback port, storing into a temporary directory, with the busybox base image in it.
 */
public final class TestRegistry implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final int port;

  private TestRegistry(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** Starts a registry and copies the busybox base image into it. */
  public static TestRegistry start() {
    TestRegistry r = launch(null);
    BaseImages.pushTo(r.hostPort());
    return r;
  }

  /**
   * Starts an empty registry that demands Basic authentication from an htpasswd line
   * ({@code user:bcrypt}; docker-registry accepts only bcrypt).
   */
  public static TestRegistry startWithHtpasswd(String htpasswdLine) {
    return launch(htpasswdLine);
  }

  private static TestRegistry launch(String htpasswdLine) {
    Path program = Prerequisites.requireProgram("docker-registry", "docker-registry");
    Prerequisites.requireProgram("skopeo", "skopeo");
    try {
      Path dir = Files.createTempDirectory("jbuild-registry");
      int port = freePort();
      java.util.List<String> config = new java.util.ArrayList<>(java.util.List.of(
          "version: 0.1",
          "log:",
          "  level: warn",
          "storage:",
          "  filesystem:",
          "    rootdirectory: " + dir.resolve("data"),
          "  delete:",
          "    enabled: true"));
      if (htpasswdLine != null) {
        Files.writeString(dir.resolve("htpasswd"), htpasswdLine + "\n");
        config.addAll(java.util.List.of("auth:", "  htpasswd:", "    realm: jbuild-test", "    path: " + dir.resolve("htpasswd")));
      }
      config.addAll(java.util.List.of("http:", "  addr: 127.0.0.1:" + port, ""));
      Files.writeString(dir.resolve("config.yml"), String.join("\n", config));
      Process p = new ProcessBuilder(program.toString(), "serve", dir.resolve("config.yml").toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("registry.log").toFile())
          .start();
      TestRegistry r = new TestRegistry(p, dir, port);
      r.awaitReady();
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code 127.0.0.1:PORT}, the registry part of image references. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  /** A reference to the busybox base image in this registry, e.g. {@code 127.0.0.1:5123/busybox:1.35}. */
  public String busybox() {
    return hostPort() + "/busybox:" + BaseImages.tag();
  }

  public Path logFile() {
    return dir.resolve("registry.log");
  }

  private void awaitReady() throws IOException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("docker-registry exited at start: " + Files.readString(logFile()));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + hostPort() + "/v2/").toURL().openConnection();
        c.setConnectTimeout(500);
        if (c.getResponseCode() == 200 || c.getResponseCode() == 401) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    throw new AssertionError("docker-registry did not answer on " + hostPort() + " within 20s: " + Files.readString(logFile()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }
}
