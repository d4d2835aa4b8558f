package dev.jbuild.solver;

/**
 * @param noCache run every step even when a cache record exists
 * @param maxParallelProcesses how many RUN processes may run at once (at least 1)
 */
public record SolveOptions(boolean noCache, int maxParallelProcesses) {
  public SolveOptions {
    if (maxParallelProcesses < 1) {
      throw new IllegalArgumentException("maxParallelProcesses must be at least 1, not " + maxParallelProcesses);
    }
  }

  public static SolveOptions defaults() {
    return new SolveOptions(false, Math.max(1, Runtime.getRuntime().availableProcessors()));
  }
}
