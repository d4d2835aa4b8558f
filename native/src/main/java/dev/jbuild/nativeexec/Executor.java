package dev.jbuild.nativeexec;

import java.io.IOException;

/** Runs one process in a container over a prepared root filesystem and waits for it. */
public interface Executor {
  /**
   * Runs {@code spec} to completion, streaming its output as it comes.
   *
   * @throws IOException when the container cannot be set up (the process's own failure is an exit code)
   * @throws InterruptedException when the calling thread is interrupted; the container is killed first
   */
  ExecResult run(ExecSpec spec) throws IOException, InterruptedException;
}
