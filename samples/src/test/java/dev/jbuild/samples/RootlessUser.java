package dev.jbuild.samples;

import dev.jbuild.testkit.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A non-root user with /etc/subuid and /etc/subgid ranges, for running jbuild rootless from a
 * root test run (CI is root): created once, then commands run as it with runuser. Everything it
 * needs must be readable by it, so the test classpath is copied out of root's home.
 */
final class RootlessUser {
  static final String NAME = "jbuild-rootless";

  private RootlessUser() {}

  /** Creates the user and its subordinate id ranges if missing; returns its uid. */
  static long ensure() throws IOException {
    if (Processes.run(List.of("id", "-u", NAME)).exitCode() != 0) {
      Processes.run(List.of("useradd", "--create-home", "--shell", "/bin/sh", NAME)).assertSuccess();
    }
    for (String file : List.of("/etc/subuid", "/etc/subgid")) {
      Path p = Path.of(file);
      boolean has = Files.exists(p) && Files.readAllLines(p).stream().anyMatch(l -> l.startsWith(NAME + ":"));
      if (!has) {
        long start = 100000;
        if (Files.exists(p)) {
          for (String l : Files.readAllLines(p)) {
            String[] f = l.split(":");
            if (f.length == 3) {
              start = Math.max(start, Long.parseLong(f[1]) + Long.parseLong(f[2]));
            }
          }
        }
        String flag = file.endsWith("subuid") ? "--add-subuids" : "--add-subgids";
        Processes.run(List.of("usermod", flag, start + "-" + (start + 65535), NAME)).assertSuccess();
      }
    }
    return Long.parseLong(Processes.run(List.of("id", "-u", NAME)).assertSuccess().stdout().strip());
  }

  /**
   * For tests that run builds: root, or a user that rootless mode works for (newuidmap and a
   * subordinate id range), as when {@link RootlessBuildTest} runs them as this user.
   */
  static void requireRootOrRootless() {
    String user = System.getProperty("user.name");
    if ("root".equals(user)) {
      return;
    }
    dev.jbuild.testkit.Prerequisites.requireProgram("newuidmap", "uidmap");
    try {
      if (Files.readAllLines(Path.of("/etc/subuid")).stream().noneMatch(l -> l.startsWith(user + ":"))) {
        throw new AssertionError("test prerequisite missing: " + user + " has no range in /etc/subuid");
      }
    } catch (IOException e) {
      throw new AssertionError("test prerequisite missing: /etc/subuid is unreadable: " + e.getMessage());
    }
  }

  static Path home() {
    return Path.of("/home", NAME);
  }

  /**
   * Copies this JVM's classpath into {@code dir} (readable by everyone) and returns the copy's
   * classpath, with {@code extra} jars added.
   */
  static String copyClasspath(Path dir, List<Path> extra) throws IOException {
    Files.createDirectories(dir);
    List<String> entries = new ArrayList<>();
    List<Path> all = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(":")) {
      if (!e.isEmpty()) {
        all.add(Path.of(e));
      }
    }
    all.addAll(extra);
    int n = 0;
    for (Path p : all) {
      if (!Files.exists(p)) {
        continue;
      }
      Path to = dir.resolve((n++) + "-" + p.getFileName());
      Processes.run(List.of("cp", "-a", p.toString(), to.toString())).assertSuccess();
      entries.add(to.toString());
    }
    Processes.run(List.of("chmod", "-R", "a+rX", dir.toString())).assertSuccess();
    return String.join(":", entries);
  }

  /** Runs {@code command} as the user, with its HOME and the given environment. */
  static Processes.Result run(List<String> command, Map<String, String> env, long timeoutSeconds) {
    List<String> cmd = new ArrayList<>(List.of("runuser", "-u", NAME, "--", "env", "HOME=" + home(),
        "USER=" + NAME, "LOGNAME=" + NAME, "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"));
    env.forEach((k, v) -> cmd.add(k + "=" + v));
    cmd.addAll(command);
    return Processes.run(cmd, null, Map.of(), timeoutSeconds);
  }

  /** Makes {@code p} and its parents up to {@code top} traversable by everyone. */
  static void openUpTo(Path p, Path top) throws IOException {
    for (Path q = p; q != null && q.startsWith(top); q = q.getParent()) {
      Processes.run(List.of("chmod", "a+rx", q.toString())).assertSuccess();
    }
  }
}
