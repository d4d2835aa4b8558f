package dev.jbuild.solver;

import dev.jbuild.progress.ProgressEvent;
import dev.jbuild.progress.ProgressListener;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A process output stream: forwards every chunk as a log event and keeps the last lines of all
 * streams together, for the error report of a failed step.
 */
final class OutputTail {
  private static final int KEEP_LINES = 10;
  private final Deque<String> lines = new ArrayDeque<>();
  private final StringBuilder partial = new StringBuilder();

  OutputStream stream(int vertex, int streamNo, ProgressListener listener) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        if (len == 0) {
          return;
        }
        byte[] chunk = Arrays.copyOfRange(b, off, off + len);
        listener.onEvent(new ProgressEvent.Log(vertex, streamNo, chunk));
        remember(new String(chunk, StandardCharsets.UTF_8));
      }
    };
  }

  private synchronized void remember(String text) {
    for (char c : text.toCharArray()) {
      if (c == '\n') {
        push(partial.toString());
        partial.setLength(0);
      } else if (partial.length() < 4096) {
        partial.append(c);
      }
    }
  }

  private void push(String line) {
    lines.addLast(line);
    while (lines.size() > KEEP_LINES) {
      lines.removeFirst();
    }
  }

  synchronized List<String> lastLines() {
    List<String> out = new ArrayList<>(lines);
    if (partial.length() > 0) {
      out.add(partial.toString());
      if (out.size() > KEEP_LINES) {
        out.remove(0);
      }
    }
    return out;
  }
}
