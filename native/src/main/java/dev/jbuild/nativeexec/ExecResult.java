package dev.jbuild.nativeexec;

import java.util.Optional;
import java.util.Set;

/**
 * How a run ended.
 *
 * @param exitCode the process's exit status as the runtime reports it (128+n after signal n)
 * @param signal the signal's name (e.g. "SIGKILL") when the exit code says the process died of one
 * @param createdPaths root-relative paths the executor created inside the rootfs (mount points such
 *     as proc, sys, dev, etc/resolv.conf, etc/hosts, and their parent directories); pass them to
 *     {@link LayerWriter#write} as skipIfUnchanged so they never leak into a layer
 */
public record ExecResult(int exitCode, Optional<String> signal, Set<String> createdPaths) {
  public ExecResult {
    signal = signal == null ? Optional.empty() : signal;
    createdPaths = Set.copyOf(createdPaths);
  }

  public boolean succeeded() {
    return exitCode == 0;
  }
}
