package dev.jbuild.solver;

/**
 * @param noCache run every step even when a cache record exists
 * @param maxParallelProcesses how many RUN processes may run at once
 */
public record SolveOptions(boolean noCache, int maxParallelProcesses) {
  public static SolveOptions defaults() {
    return new SolveOptions(false, Math.max(1, Runtime.getRuntime().availableProcessors()));
  }
}
