package dev.jbuild.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether processes of a platform can run on this host: natively, or through a qemu handler
 * registered in binfmt_misc. A handler without the {@code F} (fix binary) flag only works where
 * its interpreter path also exists inside the container, so it is reported as unusable.
 */
public final class Emulation {

  /** The state of one platform on this host. */
  public record Support(Platform platform, boolean native_, Optional<Handler> handler) {
    public boolean usable() {
      return native_ || handler.map(Handler::usable).orElse(false);
    }
  }

  /** A binfmt_misc entry. */
  public record Handler(String name, boolean enabled, String interpreter, String flags) {
    public boolean usable() {
      return enabled && flags.contains("F");
    }
  }

  private final Path binfmtDir;
  private final Platform host;

  public Emulation(Path binfmtDir, Platform host) {
    this.binfmtDir = binfmtDir;
    this.host = host;
  }

  public static Emulation system() {
    return new Emulation(Path.of("/proc/sys/fs/binfmt_misc"), Platform.host());
  }

  public Support check(Platform target) {
    if (!target.os().equals("linux")) {
      return new Support(target, false, Optional.empty());
    }
    if (runsNatively(target)) {
      return new Support(target, true, Optional.empty());
    }
    return new Support(target, false, handlerFor(target));
  }

  private boolean runsNatively(Platform target) {
    if (target.architecture().equals(host.architecture())) {
      return true;
    }
    // 64-bit x86 and arm kernels run their 32-bit siblings (CONFIG_COMPAT is on in every distro kernel).
    return (host.architecture().equals("amd64") && target.architecture().equals("386"))
        || (host.architecture().equals("arm64") && target.architecture().equals("arm")
            && !target.variant().equals("v5"));
  }

  private Optional<Handler> handlerFor(Platform target) {
    for (String name : qemuNames(target)) {
      Path entry = binfmtDir.resolve(name);
      if (!Files.isRegularFile(entry)) {
        continue;
      }
      try {
        return Optional.of(readHandler(entry));
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Reads one binfmt_misc entry file ({@code enabled}, {@code interpreter …}, {@code flags: …}). */
  static Handler readHandler(Path entry) throws IOException {
    List<String> lines = Files.readAllLines(entry);
    boolean enabled = !lines.isEmpty() && lines.get(0).trim().equals("enabled");
    String interpreter = "";
    String flags = "";
    for (String l : lines) {
      if (l.startsWith("interpreter ")) {
        interpreter = l.substring("interpreter ".length()).trim();
      } else if (l.startsWith("flags:")) {
        flags = l.substring("flags:".length()).trim();
      }
    }
    return new Handler(entry.getFileName().toString(), enabled, interpreter, flags);
  }

  /** binfmt_misc entry names used by qemu-user-static (Debian) and tonistiigi/binfmt. */
  static List<String> qemuNames(Platform p) {
    String q = switch (p.architecture()) {
      case "arm64" -> "aarch64";
      case "arm" -> "arm";
      case "386" -> "i386";
      case "amd64" -> "x86_64";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      case "riscv64" -> "riscv64";
      case "mips64le" -> "mips64el";
      case "loong64" -> "loongarch64";
      default -> p.architecture();
    };
    return List.of("qemu-" + q, q);
  }

  /** A sentence telling the user how to make {@code target} runnable here. */
  public String remedy(Platform target) {
    Support s = check(target);
    if (s.usable()) {
      return "";
    }
    String entry = "qemu-" + qemuNames(target).get(1);
    if (!Files.isRegularFile(binfmtDir.resolve("register"))) {
      return "binfmt_misc is not mounted at " + binfmtDir + ": run `jbuild setup emulation` as root"
          + " (it mounts binfmt_misc and registers qemu-user-static's handlers; install them with"
          + " `apt-get install qemu-user-static`)";
    }
    if (s.handler().isPresent() && !s.handler().get().flags().contains("F")) {
      return "the binfmt_misc handler " + s.handler().get().name() + " lacks the F (fix binary) flag,"
          + " so it cannot run inside a container: re-register it with `jbuild setup emulation`";
    }
    if (s.handler().isPresent() && !s.handler().get().enabled()) {
      return "the binfmt_misc handler " + s.handler().get().name() + " is disabled: enable it with"
          + " `echo 1 > " + binfmtDir.resolve(s.handler().get().name()) + "` or `jbuild setup emulation`";
    }
    return "no binfmt_misc handler for " + target.architecture() + " (" + entry + "): install"
        + " qemu-user-static (`apt-get install qemu-user-static`) and run `jbuild setup emulation` as root";
  }
}
