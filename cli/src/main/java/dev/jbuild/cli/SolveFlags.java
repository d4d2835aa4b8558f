package dev.jbuild.cli;

import dev.jbuild.solver.SolveOptions;
import picocli.CommandLine.Model.CommandSpec;

/** The scheduler's flags of {@code build} (a picocli mixin). */
final class SolveFlags {
  Integer maxParallelism;

  /** The options, bound to this object. */
  CommandSpec mixin() {
    return CommandSpecs.mixin(
        CommandSpecs.option(Integer.class, () -> maxParallelism, v -> maxParallelism = v, "--max-parallelism")
            .paramLabel("N").description("How many RUN processes may run at once (default: the number of CPUs).").build());
  }

  SolveOptions options(boolean noCache) throws UserError {
    if (maxParallelism == null) {
      return new SolveOptions(noCache, SolveOptions.defaults().maxParallelProcesses());
    }
    if (maxParallelism < 1) {
      throw new UserError("--max-parallelism " + maxParallelism + ": must be at least 1");
    }
    return new SolveOptions(noCache, maxParallelism);
  }
}
