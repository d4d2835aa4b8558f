package dev.jbuild.registry;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the Docker config lives, exactly as the docker CLI finds it: {@code $DOCKER_CONFIG}, else
 * {@code $HOME/.docker}, else the home directory of the user's passwd entry. CI differs from a
 * laptop here: a GitHub Actions container job runs as root with {@code HOME=/github/home}.
 */
public final class DockerConfigLocation {
  private DockerConfigLocation() {}

  /** The config directory. */
  public static Path directory(Map<String, String> env, String passwdHome) {
    String dir = env.get("DOCKER_CONFIG");
    if (dir != null && !dir.isEmpty()) {
      return Path.of(dir);
    }
    String home = env.get("HOME");
    return Path.of(home != null && !home.isEmpty() ? home : passwdHome, ".docker");
  }

  /** {@code config.json} for this process. */
  public static Path file() {
    return directory(System.getenv(), System.getProperty("user.home")).resolve("config.json");
  }
}
