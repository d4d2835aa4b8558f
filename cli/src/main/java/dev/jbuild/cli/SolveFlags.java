package dev.jbuild.cli;

import dev.jbuild.solver.SolveOptions;
import picocli.CommandLine.Option;

/** The scheduler's flags of {@code build} (a picocli mixin). */
final class SolveFlags {
  @Option(names = "--max-parallelism", paramLabel = "N",
      description = "How many RUN processes may run at once (default: the number of CPUs).")
  Integer maxParallelism;

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
