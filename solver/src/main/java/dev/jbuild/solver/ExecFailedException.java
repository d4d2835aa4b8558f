package dev.jbuild.solver;

import java.util.List;

/** A process of an {@link Op.Exec} ended unsuccessfully. */
public class ExecFailedException extends Exception {
  private final List<String> args;
  private final int exitCode;
  private final String signal;
  private final List<String> lastLines;

  public ExecFailedException(List<String> args, int exitCode, String signal, List<String> lastLines) {
    super(describe(args, exitCode, signal));
    this.args = List.copyOf(args);
    this.exitCode = exitCode;
    this.signal = signal;
    this.lastLines = List.copyOf(lastLines);
  }

  private static String describe(List<String> args, int exitCode, String signal) {
    String cmd = String.join(" ", args);
    return signal != null
        ? "process \"" + cmd + "\" was killed by signal " + signal
        : "process \"" + cmd + "\" did not complete successfully: exit code: " + exitCode;
  }

  public List<String> args() {
    return args;
  }

  public int exitCode() {
    return exitCode;
  }

  /** The last lines the process printed (stdout and stderr interleaved), for the error report. */
  public List<String> lastLines() {
    return lastLines;
  }
}
