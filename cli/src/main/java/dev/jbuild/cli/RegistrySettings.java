package dev.jbuild.cli;

import dev.jbuild.registry.RegistryConfig;
import dev.jbuild.registry.RegistryConfigFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Where registry settings come from: {@code --config FILE}, else {@code $JBUILD_CONFIG}, else the
 * first of {@code $XDG_CONFIG_HOME/jbuild/jbuild.toml} (default {@code ~/.config/jbuild/jbuild.toml})
 * and {@code /etc/jbuild/jbuild.toml} that exists; none is fine (Docker's defaults). The file uses
 * buildkitd.toml's {@code [registry."host"]} tables (see {@link RegistryConfigFile}).
 */
final class RegistrySettings {
  private RegistrySettings() {}

  static RegistryConfig load(Path configFlag, Set<String> extraInsecureHosts) throws UserError {
    Optional<Path> file = locate(configFlag);
    RegistryConfig config = RegistryConfig.defaults();
    if (file.isPresent()) {
      try {
        config = RegistryConfigFile.load(file.get(), config);
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      } catch (IOException e) {
        throw new UserError("cannot read the config file " + file.get() + ": " + e.getMessage(), e);
      }
    }
    if (!extraInsecureHosts.isEmpty()) {
      Set<String> hosts = new LinkedHashSet<>(config.insecureHosts());
      hosts.addAll(extraInsecureHosts);
      config = config.withInsecureHosts(hosts);
    }
    return config;
  }

  /** The config file in effect: the flag, else $JBUILD_CONFIG, else the first default location that exists. */
  static Optional<Path> locate(Path configFlag) throws UserError {
    Optional<Path> file = Optional.ofNullable(configFlag);
    String source = "--config";
    if (file.isEmpty()) {
      String env = System.getenv("JBUILD_CONFIG");
      if (env != null && !env.isBlank()) {
        file = Optional.of(Path.of(env));
        source = "JBUILD_CONFIG";
      }
    }
    if (file.isPresent() && !Files.isRegularFile(file.get())) {
      throw new UserError(source + " " + file.get() + ": no such file");
    }
    if (file.isEmpty()) {
      file = defaultLocations().stream().filter(Files::isRegularFile).findFirst();
    }
    return file;
  }

  static java.util.List<Path> defaultLocations() {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path user = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
    return java.util.List.of(user.resolve("jbuild/jbuild.toml"), Path.of("/etc/jbuild/jbuild.toml"));
  }
}
