package dev.jbuild.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A private Docker daemon (Debian's docker.io with its embedded BuildKit) kept off the host
 * network: the reference peer for differential tests and {@code --load}. Started through
 * {@code scripts/peer-dockerd.sh}; fails loudly with what to install when dockerd is missing.
 */
public final class DockerDaemon implements AutoCloseable {
  private final Path dir;
  private final Path script;
  private final String host;

  private DockerDaemon(Path dir, Path script, String host) {
    this.dir = dir;
    this.script = script;
    this.host = host;
  }

  /**
   * Starts a daemon with its state under {@code dir}.
   *
   * @param insecureRegistry {@code 127.0.0.1:PORT} of a test registry it may pull from over http, or null
   */
  public static DockerDaemon start(Path dir, String insecureRegistry) {
    Prerequisites.requireProgram("dockerd", "docker.io");
    if (!Files.isExecutable(Path.of("/usr/bin/docker"))) {
      throw new AssertionError("test prerequisite missing: /usr/bin/docker (Debian's client); install it with: apt-get install -y docker.io");
    }
    Path script = repositoryRoot().resolve("scripts/peer-dockerd.sh");
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), "start", dir.toString()));
    if (insecureRegistry != null) {
      cmd.add(insecureRegistry);
    }
    Processes.Result r = Processes.run(cmd, null, Map.of(), 120).assertSuccess();
    return new DockerDaemon(dir, script, r.stdout().strip());
  }

  /** {@code unix:///…/docker.sock} */
  public String host() {
    return host;
  }

  /** Runs Debian's docker client against this daemon with BuildKit enabled. */
  public Processes.Result docker(Path workDir, long timeoutSeconds, String... args) {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/docker", "-H", host));
    cmd.addAll(List.of(args));
    return Processes.run(cmd, workDir, Map.of("DOCKER_BUILDKIT", "1", "DOCKER_CONFIG", dir.resolve("client").toString()),
        timeoutSeconds);
  }

  @Override
  public void close() {
    Processes.run(List.of("bash", script.toString(), "stop", dir.toString()), null, Map.of(), 120);
  }

  /** The checkout holding {@code scripts/}: tests run with a module as working directory. */
  static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("scripts/peer-dockerd.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new AssertionError("cannot find scripts/peer-dockerd.sh above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /** For callers that want the daemon's log on failure. */
  public String log() {
    try {
      return Files.readString(dir.resolve("dockerd.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
