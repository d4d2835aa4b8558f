package dev.jbuild.cli;

import dev.jbuild.cache.StoreLocation;
import dev.jbuild.nativeexec.MissingPrerequisiteException;
import dev.jbuild.nativeexec.NetworkMode;
import dev.jbuild.nativeexec.RootlessLauncher;
import dev.jbuild.solver.Entitlement;
import dev.jbuild.solver.RunOptions;
import dev.jbuild.solver.SecretSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The build options for RUN steps ({@code --network}, {@code --allow}, {@code --secret},
 * {@code --ssh}) as buildx spells them, and rootless mode: a non-root user's build runs again in
 * a user namespace.
 */
final class RunFlags {
  private RunFlags() {}

  static RunOptions parse(String network, List<String> allow, List<String> secrets, List<String> ssh,
      Map<String, String> environment) throws UserError {
    Set<Entitlement> allowed = EnumSet.noneOf(Entitlement.class);
    for (String a : allow) {
      if (a.isBlank()) {
        continue;
      }
      allowed.add(Entitlement.parse(a.strip()).orElseThrow(() -> new UserError("--allow " + a
          + ": unknown entitlement (expected network.host or security.insecure)")));
    }
    NetworkMode mode = switch (network == null ? "default" : network) {
      case "default" -> NetworkMode.HOST;
      case "none" -> NetworkMode.NONE;
      case "host" -> {
        allowed.add(Entitlement.NETWORK_HOST); // as buildx: asking for it on the command line grants it
        yield NetworkMode.HOST;
      }
      default -> throw new UserError("--network=" + network + ": expected default, none or host");
    };
    return new RunOptions(mode, allowed, parseSecrets(secrets, environment), parseSsh(ssh, environment));
  }

  /** {@code id=ID[,src=FILE|,env=VARIABLE][,type=file|env]}; with neither, the variable named ID. */
  static Map<String, SecretSource> parseSecrets(List<String> specs, Map<String, String> environment) throws UserError {
    Map<String, SecretSource> out = new LinkedHashMap<>();
    for (String spec : specs) {
      Map<String, String> f = new LinkedHashMap<>();
      for (String field : spec.split(",")) {
        int eq = field.indexOf('=');
        if (eq <= 0) {
          throw new UserError("--secret " + spec + ": expected id=ID,src=FILE or id=ID,env=VARIABLE");
        }
        f.put(field.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT), field.substring(eq + 1));
      }
      String id = f.getOrDefault("id", "");
      if (id.isEmpty()) {
        throw new UserError("--secret " + spec + ": id=… is missing");
      }
      String src = f.getOrDefault("src", f.get("source"));
      String env = f.get("env");
      String type = f.getOrDefault("type", src != null ? "file" : "env");
      if (type.equals("file")) {
        if (src == null || src.isEmpty()) {
          throw new UserError("--secret " + spec + ": type=file needs src=FILE");
        }
        Path p = Path.of(src).toAbsolutePath();
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
          throw new UserError("--secret id=" + id + ": " + src + " is not a readable file");
        }
        out.put(id, new SecretSource.FromFile(p));
      } else if (type.equals("env")) {
        String variable = env != null ? env : src != null ? src : id;
        if (!environment.containsKey(variable)) {
          throw new UserError("--secret id=" + id + ": the environment variable " + variable + " is not set");
        }
        out.put(id, new SecretSource.FromEnv(variable));
      } else {
        throw new UserError("--secret " + spec + ": type=" + type + " (expected file or env)");
      }
    }
    return out;
  }

  /** {@code default} ($SSH_AUTH_SOCK) or {@code ID=SOCKET}; agent sockets only, not key files. */
  static Map<String, Path> parseSsh(List<String> specs, Map<String, String> environment) throws UserError {
    Map<String, Path> out = new LinkedHashMap<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      String id = eq < 0 ? spec : spec.substring(0, eq);
      String path = eq < 0 ? null : spec.substring(eq + 1).split(",")[0];
      if (id.isEmpty()) {
        throw new UserError("--ssh " + spec + ": expected default or ID=SOCKET");
      }
      if (path == null || path.isEmpty()) {
        path = environment.get("SSH_AUTH_SOCK");
        if (path == null || path.isEmpty()) {
          throw new UserError("--ssh " + spec + ": SSH_AUTH_SOCK is not set: start an agent (eval $(ssh-agent))"
              + " or give its socket: --ssh " + id + "=/path/to/agent.sock");
        }
      }
      Path socket = Path.of(path).toAbsolutePath();
      if (!isSocket(socket)) {
        throw new UserError("--ssh " + spec + ": " + socket + " is not an ssh agent socket"
            + " (jbuild forwards agents; key files are not supported)");
      }
      out.put(id, socket);
    }
    return out;
  }

  private static boolean isSocket(Path p) {
    try {
      int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return (mode & 0170000) == 0140000;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Whether this build must run again in a user namespace (a non-root user; rootless mode). */
  static boolean needsRootless() {
    return RootlessLauncher.needed();
  }

  /** Runs this build again in a user namespace and returns its exit status. */
  static int rerunRootless(PrintStream err) throws InterruptedException {
    try {
      // decided here: inside, the user is uid 0 and would otherwise get root's store
      return RootlessLauncher.reexec(Map.of("JBUILD_ROOT", StoreLocation.resolve().toString()));
    } catch (MissingPrerequisiteException e) {
      err.println("ERROR: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("ERROR: cannot start the rootless build: " + e.getMessage());
      return 1;
    }
  }
}
