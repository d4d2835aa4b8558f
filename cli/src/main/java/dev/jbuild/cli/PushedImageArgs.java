package dev.jbuild.cli;

import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The image a read-only command looks at in a registry ({@code REF}) and the registry settings to reach it. */
final class PushedImageArgs {
  @Parameters(index = "0", paramLabel = "REF", description = "The image (registry/repo:tag or @digest).")
  String ref;

  @Option(names = "--config", paramLabel = "FILE", description = "Registry settings (as for build).")
  Path configFile;

  ImageReference reference() throws UserError {
    return Outputs.reference(ref, "invalid image reference");
  }

  RegistryClient client() throws UserError {
    return RegistryClient.create(RegistrySettings.load(configFile, Set.of()));
  }
}
