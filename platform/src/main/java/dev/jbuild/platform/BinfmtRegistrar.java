package dev.jbuild.platform;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers qemu-user-static's binfmt_misc handlers from its {@code binfmt.d} files, with the
 * {@code F} flag so the interpreter is opened at registration and works inside containers.
 * Needs root. Mounts binfmt_misc first when it is not mounted (no systemd required).
 */
public final class BinfmtRegistrar {
  /** What happened to one handler. */
  public record Outcome(String name, String action) {}

  private final Path binfmtDir;
  private final Path confDir;

  public BinfmtRegistrar(Path binfmtDir, Path confDir) {
    this.binfmtDir = binfmtDir;
    this.confDir = confDir;
  }

  public static BinfmtRegistrar system() {
    return new BinfmtRegistrar(Path.of("/proc/sys/fs/binfmt_misc"), Path.of("/usr/lib/binfmt.d"));
  }

  /**
   * @throws IOException with a message saying what to install or why registration failed
   */
  public List<Outcome> registerQemuHandlers() throws IOException, InterruptedException {
    if (!Files.isRegularFile(binfmtDir.resolve("register"))) {
      mountBinfmtMisc();
    }
    List<Path> confs = new ArrayList<>();
    if (Files.isDirectory(confDir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(confDir, "qemu-*.conf")) {
        ds.forEach(confs::add);
      }
    }
    if (confs.isEmpty()) {
      throw new IOException("no qemu handlers in " + confDir + ": install them with `apt-get install qemu-user-static`");
    }
    confs.sort(null);
    List<Outcome> out = new ArrayList<>();
    for (Path conf : confs) {
      String line = Files.readAllLines(conf).stream().filter(l -> l.startsWith(":")).findFirst().orElse(null);
      if (line == null) {
        continue;
      }
      String name = line.split(":", 3)[1];
      Path entry = binfmtDir.resolve(name);
      if (Files.isRegularFile(entry)) {
        Emulation.Handler h = Emulation.readHandler(entry);
        if (h.usable()) {
          out.add(new Outcome(name, "already registered"));
          continue;
        }
        Files.writeString(entry, "-1"); // remove, then register again with the right flags
      }
      String flags = line.substring(line.lastIndexOf(':') + 1);
      String withF = flags.contains("F") ? line : line + "F";
      Files.writeString(binfmtDir.resolve("register"), withF);
      out.add(new Outcome(name, "registered"));
    }
    return out;
  }

  private void mountBinfmtMisc() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("mount", "-t", "binfmt_misc", "binfmt_misc", binfmtDir.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes()).strip();
    if (p.waitFor() != 0) {
      throw new IOException("cannot mount binfmt_misc at " + binfmtDir + " (run as root): " + output);
    }
  }
}
