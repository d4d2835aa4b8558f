package dev.jbuild.cli.progress;

import dev.jbuild.progress.ProgressEvent;
import dev.jbuild.progress.ProgressListener;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * buildx's {@code --progress=tty}: a live view redrawn in place ten times a second — a header with
 * the elapsed time and steps done, one line per step with its timer ({@code CACHED}, {@code DONE},
 * {@code ERROR}, {@code CANCELED} once finished), the last lines of each running step's output — then a summary of
 * the warnings. Only as many lines as the terminal has are redrawn, so the cursor never leaves it.
 */
public final class TtyRenderer implements ProgressListener, AutoCloseable {
  static final int LOG_LINES = 6;
  private static final String CLEAR_LINE = "\u001b[2K";
  private static final String CLEAR_DOWN = "\u001b[J";

  private enum State { RUNNING, DONE, CACHED, ERROR, CANCELED }

  private static final class Step {
    final String name;
    final long startNanos = System.nanoTime();
    State state = State.RUNNING;
    double seconds;
    String status = "";
    final Deque<String> tail = new ArrayDeque<>();
    final StringBuilder partial = new StringBuilder();

    Step(String name) {
      this.name = name;
    }
  }

  private final PrintStream out;
  private final int width;
  private final int height;
  private final long start = System.nanoTime();
  private final Map<Integer, Step> steps = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private final StringBuilder epilogue = new StringBuilder();
  private final boolean explainMisses;
  private final ScheduledExecutorService ticker;
  private int drawnLines;
  private boolean closed;

  /** @param width, height the terminal's size (the view never wraps or scrolls while live) */
  public TtyRenderer(PrintStream out, int width, int height) {
    this(out, width, height, false);
  }

  /** @param explainMisses show why a step missed the cache as its status line */
  public TtyRenderer(PrintStream out, int width, int height, boolean explainMisses) {
    this.explainMisses = explainMisses;
    this.out = out;
    this.width = Math.max(20, width);
    this.height = Math.max(5, height);
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tty-progress");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(this::redraw, 100, 100, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void onEvent(ProgressEvent event) {
    int n = event.vertex();
    if (event instanceof ProgressEvent.Started s) {
      steps.put(n, new Step(s.name()));
    } else if (event instanceof ProgressEvent.Cached c) {
      Step st = steps.computeIfAbsent(n, k -> new Step(c.name()));
      st.state = State.CACHED;
    } else if (event instanceof ProgressEvent.Log l) {
      Step st = steps.get(n);
      if (st != null) {
        st.partial.append(new String(l.data(), StandardCharsets.UTF_8));
        int nl;
        while ((nl = st.partial.indexOf("\n")) >= 0) {
          addTail(st, st.partial.substring(0, nl));
          st.partial.delete(0, nl + 1);
        }
      }
    } else if (event instanceof ProgressEvent.Status s) {
      Step st = steps.get(n);
      if (st != null) {
        st.status = s.message();
      }
    } else if (event instanceof ProgressEvent.CacheMiss m) {
      Step st = steps.get(n);
      if (st != null && explainMisses) {
        st.status = "cache miss: " + m.reason();
      }
    } else if (event instanceof ProgressEvent.Completed c) {
      finish(n, State.DONE, c.elapsed().toNanos());
    } else if (event instanceof ProgressEvent.Failed f) {
      finish(n, State.ERROR, f.elapsed().toNanos());
    } else if (event instanceof ProgressEvent.Canceled c) {
      finish(n, State.CANCELED, c.elapsed().toNanos()); // stopped because another step failed
    }
  }

  /** A warning for the summary (lint, unused build args): printing it now would tear the live view. */
  public synchronized void warn(String message) {
    warnings.add(message);
  }

  /** Text for after the summary (e.g. the emulation report). */
  public synchronized void epilogue(String text) {
    epilogue.append(text);
  }

  private void finish(int n, State state, long nanos) {
    Step st = steps.get(n);
    if (st != null) {
      st.state = state;
      st.seconds = nanos / 1e9;
      st.tail.clear();
      st.partial.setLength(0);
    }
  }

  private static void addTail(Step st, String line) {
    st.tail.addLast(line.replace("\r", "").replace("\t", "  "));
    while (st.tail.size() > LOG_LINES) {
      st.tail.removeFirst();
    }
  }

  private synchronized void redraw() {
    if (!closed) {
      draw(frame(false));
    }
  }

  /** The final frame (every step, no log tails), then the warnings. */
  @Override
  public void close() {
    ticker.shutdownNow();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      draw(frame(true));
      if (!warnings.isEmpty()) {
        out.println();
        out.println(" " + warnings.size() + " warning" + (warnings.size() == 1 ? "" : "s") + " found:");
        for (String w : warnings) {
          int nl = w.indexOf('\n');
          out.println(" - " + (nl < 0 ? w : w.substring(0, nl))); // the first line says it; plain mode shows the rest
        }
      }
      out.print(epilogue);
      out.flush();
    }
  }

  private List<String> frame(boolean last) {
    long done = steps.values().stream().filter(s -> s.state != State.RUNNING).count();
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "[+] Building %.1fs (%d/%d)%s", (System.nanoTime() - start) / 1e9,
        done, steps.size(), last ? " FINISHED" : ""));
    List<String> body = new ArrayList<>();
    for (Step st : steps.values()) {
      body.add(stepLine(st));
      if (st.state == State.RUNNING) {
        if (!st.status.isEmpty()) {
          body.add(fit(" => => " + st.status, ""));
        }
        List<String> tail = new ArrayList<>(st.tail);
        if (st.partial.length() > 0) {
          tail.add(st.partial.toString());
        }
        for (String l : tail.subList(Math.max(0, tail.size() - LOG_LINES), tail.size())) {
          body.add(fit(" => => # " + l, ""));
        }
      }
    }
    // live frames must fit the screen: keep the newest lines (the running steps are last)
    int room = height - 2;
    if (!last && body.size() > room) {
      body = body.subList(body.size() - room, body.size());
    }
    lines.addAll(body);
    return lines;
  }

  private String stepLine(Step st) {
    String prefix = switch (st.state) {
      case CACHED -> " => CACHED ";
      case ERROR -> " => ERROR ";
      case CANCELED -> " => CANCELED ";
      default -> " => ";
    };
    String time = switch (st.state) {
      case RUNNING -> String.format(Locale.ROOT, "%.1fs", (System.nanoTime() - st.startNanos) / 1e9);
      case DONE -> String.format(Locale.ROOT, "DONE %.1fs", st.seconds);
      case CACHED -> "0.0s";
      case ERROR, CANCELED -> String.format(Locale.ROOT, "%.1fs", st.seconds);
    };
    return fit(prefix + st.name, time);
  }

  /** One screen row: text cut to the width, {@code right} flush right; never wraps. */
  private String fit(String text, String right) {
    int max = width - 1 - (right.isEmpty() ? 0 : right.length() + 1);
    String t = text.replaceAll("\\p{Cntrl}", " ");
    if (t.length() > max) {
      t = t.substring(0, Math.max(0, max - 1)) + "…";
    }
    if (right.isEmpty()) {
      return t;
    }
    return t + " ".repeat(Math.max(1, width - 1 - t.length() - right.length())) + right;
  }

  private void draw(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    if (drawnLines > 0) {
      sb.append("\u001b[").append(drawnLines).append('A').append('\r');
    }
    sb.append(CLEAR_DOWN);
    for (String l : lines) {
      sb.append(CLEAR_LINE).append(l).append('\n');
    }
    out.print(sb);
    out.flush();
    drawnLines = lines.size();
  }
}
