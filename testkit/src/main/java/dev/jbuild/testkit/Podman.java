package dev.jbuild.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Another engine that runs what jbuild pushed: podman with its own storage (nothing of the host's
 * podman is touched), runc and cgroupfs (crun refuses this hybrid cgroup setup) and the ulimits
 * these machines allow. Containers get no network but loopback ({@code --network none}), so a
 * server is queried from inside its own namespace with {@link #exec}.
 */
public final class Podman implements AutoCloseable {
  private final Path root;
  private final Path runRoot;
  private final List<String> base;

  private Podman(Path root, Path runRoot) {
    this.root = root;
    this.runRoot = runRoot;
    this.base = List.of("podman", "--root", root.resolve("storage").toString(), "--runroot",
        runRoot.toString(), "--runtime", "runc", "--cgroup-manager", "cgroupfs",
        "--events-backend", "file", "--tmpdir", root.resolve("tmp").toString());
  }

  public static Podman start(Path dir) {
    Prerequisites.requireProgram("podman", "podman");
    Prerequisites.requireProgram("runc", "runc");
    try {
      // podman refuses a run root longer than 50 characters
      return new Podman(Files.createDirectories(dir), Files.createTempDirectory(Path.of("/tmp"), "jbpod"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code podman run --rm} of {@code image} for {@code platform}, pulled over plain HTTP; returns its result. */
  public Processes.Result run(String platform, String image, String... command) {
    List<String> cmd = new ArrayList<>(base);
    cmd.addAll(List.of("run", "--rm", "--tls-verify=false", "--pull=always", "--platform", platform,
        "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", image));
    cmd.addAll(List.of(command));
    return Processes.run(cmd, null, Map.of(), 600);
  }

  /** Starts {@code image} detached as container {@code name} with its own command. */
  public void runDetached(String name, String platform, String image) {
    List<String> cmd = new ArrayList<>(base);
    cmd.addAll(List.of("run", "-d", "--name", name, "--tls-verify=false", "--pull=always", "--platform", platform,
        "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", image));
    Processes.run(cmd, null, Map.of(), 600).assertSuccess();
  }

  /** Runs a command in a running container (its network namespace included). */
  public Processes.Result exec(String name, String... command) {
    List<String> cmd = new ArrayList<>(base);
    cmd.addAll(List.of("exec", name));
    cmd.addAll(List.of(command));
    return Processes.run(cmd, null, Map.of(), 120);
  }

  public Processes.Result logs(String name) {
    List<String> cmd = new ArrayList<>(base);
    cmd.addAll(List.of("logs", name));
    return Processes.run(cmd, null, Map.of(), 60);
  }

  public void remove(String name) {
    List<String> cmd = new ArrayList<>(base);
    cmd.addAll(List.of("rm", "-f", "-t", "0", name));
    Processes.run(cmd, null, Map.of(), 120);
  }

  /** A label of an image podman pulled, as podman reads it. */
  public String imageLabel(String image, String label) {
    List<String> cmd = new ArrayList<>(base);
    cmd.addAll(List.of("image", "inspect", "--format", "{{index .Labels \"" + label + "\"}}", image));
    return Processes.run(cmd, null, Map.of(), 60).assertSuccess().stdout().strip();
  }

  /** Removes every container and image of this private storage (unmounting its overlays). */
  @Override
  public void close() {
    List<String> cmd = new ArrayList<>(base);
    cmd.addAll(List.of("system", "reset", "--force"));
    Processes.run(cmd, null, Map.of(), 300);
    try (var walk = Files.walk(runRoot)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }
}
