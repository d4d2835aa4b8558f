package dev.jbuild.cli.progress;

import dev.jbuild.progress.ProgressEvent;
import dev.jbuild.progress.ProgressListener;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * buildx's {@code --progress=plain} format: {@code #N name}, then {@code #N <seconds> <output line>},
 * then {@code #N DONE 0.1s}, {@code #N CACHED} or {@code #N ERROR: …}, blocks separated by a blank line.
 */
public final class PlainRenderer implements ProgressListener {
  private final PrintStream out;
  private final boolean explainMisses;
  private final Map<Integer, Long> started = new HashMap<>();
  private final Map<Integer, StringBuilder> partial = new HashMap<>();

  public PlainRenderer(PrintStream out) {
    this(out, false);
  }

  /** @param explainMisses print why steps missed the cache ({@code #N cache miss: src/app.js changed}) */
  public PlainRenderer(PrintStream out, boolean explainMisses) {
    this.out = out;
    this.explainMisses = explainMisses;
  }

  @Override
  public synchronized void onEvent(ProgressEvent event) {
    int n = event.vertex();
    if (event instanceof ProgressEvent.Started s) {
      started.put(n, System.nanoTime());
      out.println("#" + n + " " + s.name());
    } else if (event instanceof ProgressEvent.Cached c) {
      out.println("#" + n + " " + c.name());
      out.println("#" + n + " CACHED");
      out.println();
    } else if (event instanceof ProgressEvent.Log l) {
      StringBuilder sb = partial.computeIfAbsent(n, k -> new StringBuilder());
      sb.append(new String(l.data(), StandardCharsets.UTF_8));
      int nl;
      while ((nl = sb.indexOf("\n")) >= 0) {
        out.println("#" + n + " " + elapsed(n) + " " + sb.substring(0, nl));
        sb.delete(0, nl + 1);
      }
    } else if (event instanceof ProgressEvent.Status s) {
      out.println("#" + n + " " + s.message());
    } else if (event instanceof ProgressEvent.CacheMiss m) {
      if (explainMisses) {
        out.println("#" + n + " cache miss: " + m.reason());
      }
    } else if (event instanceof ProgressEvent.Completed c) {
      flush(n);
      out.println("#" + n + " DONE " + seconds(c.elapsed().toNanos()));
      out.println();
    } else if (event instanceof ProgressEvent.Failed f) {
      flush(n);
      out.println("#" + n + " ERROR: " + f.message());
      out.println();
    } else if (event instanceof ProgressEvent.Canceled) {
      flush(n);
      out.println("#" + n + " CANCELED");
      out.println();
    }
    out.flush();
  }

  private void flush(int n) {
    StringBuilder sb = partial.remove(n);
    if (sb != null && sb.length() > 0) {
      out.println("#" + n + " " + elapsed(n) + " " + sb);
    }
  }

  private String elapsed(int n) {
    Long s = started.get(n);
    return String.format(java.util.Locale.ROOT, "%.3f", s == null ? 0.0 : (System.nanoTime() - s) / 1e9);
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1fs", nanos / 1e9);
  }
}
