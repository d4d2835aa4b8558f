package dev.jbuild.cli.progress;

import dev.jbuild.solver.progress.ProgressListener;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * The renderer {@code --progress} asks for ({@code auto} is tty on a terminal, else plain) and where
 * warnings go: straight to stderr, or into the tty view's closing summary.
 */
public final class ProgressOutput implements AutoCloseable {
  private final ProgressListener listener;
  private final Consumer<String> warnings;
  private final AutoCloseable onClose;

  private ProgressOutput(ProgressListener listener, Consumer<String> warnings, AutoCloseable onClose) {
    this.listener = listener;
    this.warnings = warnings;
    this.onClose = onClose;
  }

  /** @throws IllegalArgumentException for an unknown mode */
  public static ProgressOutput open(String mode, boolean quiet, PrintStream err, Terminal terminal) {
    Consumer<String> toStderr = w -> err.println("WARNING: " + w);
    String effective = mode.equals("auto") ? (terminal.isTerminal() && !quiet ? "tty" : "plain") : mode;
    return switch (effective) {
      case "tty" -> {
        TtyRenderer tty = new TtyRenderer(err, terminal.columns(), terminal.rows());
        yield new ProgressOutput(tty, tty::warn, tty);
      }
      case "plain" -> new ProgressOutput(quiet ? ProgressListener.NONE : new PlainRenderer(err), toStderr, () -> { });
      case "rawjson" -> new ProgressOutput(new RawJsonRenderer(err), toStderr, () -> { });
      case "quiet" -> new ProgressOutput(ProgressListener.NONE, toStderr, () -> { });
      default -> throw new IllegalArgumentException("--progress=" + mode + ": expected auto, plain, tty, quiet or rawjson");
    };
  }

  public ProgressListener listener() {
    return listener;
  }

  public Consumer<String> warnings() {
    return warnings;
  }

  /** Draws the final frame and the warning summary (tty); idempotent. */
  @Override
  public void close() {
    try {
      onClose.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
