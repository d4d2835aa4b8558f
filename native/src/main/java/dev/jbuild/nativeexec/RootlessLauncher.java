package dev.jbuild.nativeexec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rootless mode: a non-root user's jbuild re-executes itself inside a new user and mount
 * namespace where it is root over its own uid (as 0) and its /etc/subuid range (as 1…n), mapped
 * with newuidmap/newgidmap. There it can mount overlayfs (kernel overlay in a user namespace),
 * keep root-owned image files root-owned, and run runc or crun, which detect the namespace and
 * leave cgroups alone. A JVM cannot unshare itself (it is multi-threaded), hence the new process.
 */
public final class RootlessLauncher {
  /** A contiguous id range from /etc/subuid or /etc/subgid. */
  record IdRange(long start, long count) {}

  private static final String WAIT_FOR_MAPS =
      "while ! read -r m < /proc/self/uid_map || [ -z \"$m\" ]; do sleep 0.01; done; exec \"$@\"";

  private RootlessLauncher() {}

  /** True for a non-root user not yet in a user namespace. */
  public static boolean needed() {
    return currentUid() != 0 && !UserNamespace.isNested();
  }

  /**
   * Runs this JVM's command line again in a new user namespace with stdin/stdout/stderr inherited,
   * waits for it, and returns its exit code.
   *
   * @param env added to the environment of the new process (e.g. the store location, decided outside)
   * @throws MissingPrerequisiteException naming what to install or configure
   */
  public static int reexec(Map<String, String> env) throws MissingPrerequisiteException, IOException, InterruptedException {
    return run(javaCommandLine(), env);
  }

  /**
   * Runs {@code command} as root of a new user namespace mapped like jbuild's own, e.g. {@code rm -rf}
   * of a rootless store, whose files may belong to subordinate ids the user cannot remove directly.
   */
  public static int run(List<String> command, Map<String, String> env)
      throws MissingPrerequisiteException, IOException, InterruptedException {
    String user = System.getProperty("user.name");
    long uid = currentUid();
    long gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
    for (String tool : List.of("newuidmap", "newgidmap")) {
      if (findOnPath(tool) == null) {
        throw new MissingPrerequisiteException("rootless builds need " + tool + ": install it with"
            + " `apt-get install -y uidmap` (or run jbuild as root)");
      }
    }
    IdRange uids = subordinateRange(Path.of("/etc/subuid"), user, uid).orElseThrow(() -> noRange("/etc/subuid", user));
    IdRange gids = subordinateRange(Path.of("/etc/subgid"), user, uid).orElseThrow(() -> noRange("/etc/subgid", user));

    List<String> wrapped = new ArrayList<>(List.of("unshare", "--user", "--mount", "--propagation", "private", "--",
        "/bin/sh", "-c", WAIT_FOR_MAPS, "sh"));
    wrapped.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(wrapped).inheritIO();
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      map("newuidmap", p.pid(), uid, uids);
      map("newgidmap", p.pid(), gid, gids);
    } catch (IOException e) {
      p.destroyForcibly();
      throw e;
    }
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      p.destroy();
      throw e;
    }
  }

  /** 0 is the user itself; 1… its subordinate range. */
  private static void map(String tool, long pid, long own, IdRange range) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(tool, Long.toString(pid), "0", Long.toString(own), "1", "1",
        Long.toString(range.start()), Long.toString(range.count())).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0) {
      throw new IOException(tool + " could not map ids for the rootless build: " + out);
    }
  }

  /**
   * The same java command, keeping the user's name and home (inside the namespace the user is
   * uid 0, which the JVM would otherwise call root, with /root as home).
   */
  private static List<String> javaCommandLine() throws IOException {
    byte[] raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
    List<String> argv = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == 0) {
        argv.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (argv.isEmpty()) {
      throw new IOException("cannot read this process's command line from /proc/self/cmdline");
    }
    argv.add(1, "-Duser.name=" + System.getProperty("user.name"));
    argv.add(2, "-Duser.home=" + System.getProperty("user.home"));
    return argv;
  }

  /** The first range of {@code user} (by name or uid) in a subuid/subgid file. */
  static Optional<IdRange> subordinateRange(Path file, String user, long uid) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    for (String line : Files.readAllLines(file)) {
      String[] f = line.trim().split(":");
      if (f.length == 3 && (f[0].equals(user) || f[0].equals(Long.toString(uid)))) {
        try {
          return Optional.of(new IdRange(Long.parseLong(f[1]), Long.parseLong(f[2])));
        } catch (NumberFormatException e) {
          // a malformed line is skipped, as shadow's tools do
        }
      }
    }
    return Optional.empty();
  }

  private static MissingPrerequisiteException noRange(String file, String user) {
    return new MissingPrerequisiteException("rootless builds need subordinate ids for " + user + " in " + file
        + ": as root, run `usermod --add-subuids 100000-165535 --add-subgids 100000-165535 " + user
        + "` (or run jbuild as root)");
  }

  static long currentUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException e) {
      return "root".equals(System.getProperty("user.name")) ? 0 : -1;
    }
  }

  private static Path findOnPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : (path + ":/usr/bin:/usr/sbin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return Path.of(dir, program);
      }
    }
    return null;
  }
}
