package dev.jbuild.cli;

import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code docker buildx build} flags beyond the first set: each group is checked here in
 * buildx's words before any work starts; a flag whose effect jbuild cannot apply yet is refused
 * by its group with a clear error instead of being silently ignored.
 */
final class BuildxFlags {
  @Mixin CacheFlags cache = new CacheFlags();
  @Mixin FrontendFlags frontend = new FrontendFlags();
  @Mixin RunLimitFlags runLimits = new RunLimitFlags();

  @Option(names = "--load", description = "Load the single-platform result into the Docker daemon"
      + " ($DOCKER_HOST or /var/run/docker.sock); shorthand for --output=type=docker.")
  boolean load;

  /**
   * Checks every flag of the groups ({@code --max-parallelism} is {@link SolveFlags}') before the
   * context is read or downloaded, as buildx does; the groups' values are used later, where the
   * build needs them.
   */
  void check(boolean push, List<String> outputs, boolean noCache) throws UserError {
    if (load && push) {
      throw new UserError("push and load may not be set together at the moment");
    }
    if (load && !outputs.isEmpty()) {
      throw new UserError("--load and --output may not be set together (use --output type=docker,dest=FILE.tar"
          + " and docker load, or --load alone)");
    }
    cache.transfer();
    frontend.apply(null, noCache); // checks --build-context and --no-cache-filter
    runLimits.runLimits();
  }
}
