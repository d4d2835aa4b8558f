package dev.jbuild.cli;

import dev.jbuild.registry.RegistryConfig;
import dev.jbuild.registry.RegistryException;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * What the commands that only talk to registries share ({@code imagetools}, {@code login}): the
 * {@code --config} flag (a picocli mixin) and one way of reporting failures — a line for people, exit 1.
 */
final class RegistryCommands {
  @Option(names = "--config", paramLabel = "FILE", description = "jbuild registry settings (mirrors, insecure hosts), as for build.")
  Path configFile;

  RegistryConfig load() throws UserError {
    return RegistrySettings.load(configFile, Set.of());
  }

  /** A command's work; its checked failures are the user's to read. */
  @FunctionalInterface
  interface Work {
    int run() throws UserError, RegistryException;
  }

  static int reporting(Work work) {
    try {
      return work.run();
    } catch (UserError | RegistryException e) {
      System.err.println("ERROR: " + e.getMessage());
    } catch (java.io.UncheckedIOException e) {
      System.err.println("ERROR: " + e.getCause().getMessage());
    }
    return 1;
  }
}
