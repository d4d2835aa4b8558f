package dev.jbuild.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code docker buildx build} flags beyond the first set: each group is checked here in
 * buildx's words before any work starts; a flag whose effect jbuild cannot apply yet is refused
 * by its group with a clear error instead of being silently ignored.
 */
final class BuildxFlags {
  CacheFlags cache = new CacheFlags();
  FrontendFlags frontend = new FrontendFlags();
  RunLimitFlags runLimits = new RunLimitFlags();
  boolean load;

  /** The options of the groups, then {@code --load}, bound to this object. */
  CommandSpec mixin() {
    CommandSpec spec = CommandSpec.create()
        .addMixin("cache", cache.mixin())
        .addMixin("frontend", frontend.mixin())
        .addMixin("runLimits", runLimits.mixin());
    return spec.addOption(CommandSpecs.option(boolean.class, () -> load, v -> load = v, "--load")
        .description("Load the single-platform result into the Docker daemon ($DOCKER_HOST or /var/run/docker.sock);"
            + " shorthand for --output=type=docker.").build());
  }

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
