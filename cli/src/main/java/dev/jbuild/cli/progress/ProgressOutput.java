package dev.jbuild.cli.progress;

import dev.jbuild.progress.ProgressListener;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * The renderer {@code --progress} asks for ({@code auto} is tty on a terminal, else plain) and where
 * warnings go: straight to stderr, or into the tty view's closing summary.
 */
public final class ProgressOutput implements AutoCloseable {
  private final ProgressListener listener;
  private final Consumer<String> warnings;
  private final Consumer<String> epilogue;
  private final AutoCloseable onClose;

  private ProgressOutput(ProgressListener listener, Consumer<String> warnings, Consumer<String> epilogue,
      AutoCloseable onClose) {
    this.listener = listener;
    this.warnings = warnings;
    this.epilogue = epilogue;
    this.onClose = onClose;
  }

  /** @throws IllegalArgumentException for an unknown mode */
  public static ProgressOutput open(String mode, boolean quiet, PrintStream err, Terminal terminal) {
    return open(mode, quiet, err, terminal, false);
  }

  /** @param explainMisses plain and tty also say why steps missed the cache (rawjson always does) */
  public static ProgressOutput open(String mode, boolean quiet, PrintStream err, Terminal terminal, boolean explainMisses) {
    Consumer<String> toStderr = w -> err.println("WARNING: " + w);
    Consumer<String> printed = err::print;
    String effective = mode.equals("auto") ? (terminal.isTerminal() ? "tty" : "plain") : mode;
    if (quiet && (effective.equals("tty") || effective.equals("plain"))) {
      effective = "quiet"; // -q: only the digest on stdout
    }
    return switch (effective) {
      case "tty" -> {
        TtyRenderer tty = new TtyRenderer(err, terminal.columns(), terminal.rows(), explainMisses);
        yield new ProgressOutput(tty, tty::warn, tty::epilogue, tty);
      }
      case "plain" -> new ProgressOutput(new PlainRenderer(err, explainMisses), toStderr, printed, () -> { });
      case "rawjson" -> new ProgressOutput(new RawJsonRenderer(err), toStderr, printed, () -> { });
      case "quiet" -> new ProgressOutput(ProgressListener.NONE, toStderr, printed, () -> { });
      default -> throw new IllegalArgumentException("--progress=" + mode + ": expected auto, plain, tty, quiet or rawjson");
    };
  }

  public ProgressListener listener() {
    return listener;
  }

  public Consumer<String> warnings() {
    return warnings;
  }

  /** Text printed after the build's progress (e.g. the emulation report): at once, or after the tty view closes. */
  public void epilogue(String text) {
    epilogue.accept(text);
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
