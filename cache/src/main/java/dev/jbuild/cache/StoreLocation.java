package dev.jbuild.cache;

import java.nio.file.Path;
import java.util.Map;

/** Where jbuild keeps its state: {@code $JBUILD_ROOT}, else /var/lib/jbuild as root, else the user cache dir. */
public final class StoreLocation {
  private StoreLocation() {}

  public static Path resolve(Map<String, String> env, String userName, String userHome) {
    String root = env.get("JBUILD_ROOT");
    if (root != null && !root.isBlank()) {
      return Path.of(root).toAbsolutePath();
    }
    if ("root".equals(userName)) {
      return Path.of("/var/lib/jbuild");
    }
    String xdg = env.get("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(userHome, ".cache");
    return base.resolve("jbuild").toAbsolutePath();
  }

  public static Path resolve() {
    return resolve(System.getenv(), System.getProperty("user.name"), System.getProperty("user.home"));
  }
}
