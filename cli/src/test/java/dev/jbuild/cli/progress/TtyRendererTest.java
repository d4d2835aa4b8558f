package dev.jbuild.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.progress.ProgressEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tty view's last frame, as the terminal shows it once the escape sequences have been applied. */
class TtyRendererTest {
  @Test
  void theFinalFrameMarksEveryStepAndListsTheWarnings() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TtyRenderer tty = new TtyRenderer(new PrintStream(bytes, true, StandardCharsets.UTF_8), 60, 20);
    tty.onEvent(new ProgressEvent.Cached(1, "[1/4] COPY a /"));
    tty.onEvent(new ProgressEvent.Started(2, "[2/4] RUN make"));
    tty.onEvent(new ProgressEvent.Log(2, 1, "compiling\n".getBytes(StandardCharsets.UTF_8)));
    tty.onEvent(new ProgressEvent.Completed(2, Duration.ofMillis(2340)));
    tty.onEvent(new ProgressEvent.Started(3, "[3/4] RUN a-very-long-command-line-that-does-not-fit-in-sixty-columns"));
    tty.onEvent(new ProgressEvent.Started(4, "[4/4] RUN exit 3"));
    tty.onEvent(new ProgressEvent.Failed(4, Duration.ofMillis(100), "exit code: 3"));
    tty.onEvent(new ProgressEvent.Canceled(3, Duration.ofMillis(1500)));
    tty.warn("Dockerfile:5:1: JSONArgsRecommended: JSON arguments recommended\n 5 | CMD echo hi");
    tty.epilogue("after the summary\n");
    tty.close();
    tty.close(); // idempotent

    List<String> screen = screen(bytes.toString(StandardCharsets.UTF_8));
    screen.subList(1, 5).forEach(row -> assertEquals(59, row.length(), row));
    assertTrue(screen.get(0).matches("\\[\\+] Building \\d+\\.\\ds \\(4/4\\) FINISHED"), screen.get(0));
    // rows are one column short of the width: writing the last column would wrap in some terminals
    assertEquals(List.of(
        " => CACHED [1/4] COPY a /                              0.0s",
        " => [2/4] RUN make                                DONE 2.3s",
        " => CANCELED [3/4] RUN a-very-long-command-line-that-… 1.5s",
        " => ERROR [4/4] RUN exit 3                             0.1s",
        "",
        " 1 warning found:",
        " - Dockerfile:5:1: JSONArgsRecommended: JSON arguments recommended",
        "after the summary"), screen.subList(1, screen.size()));
  }

  /** Replays the output the way a terminal does: cursor up, clear line and clear down rewrite earlier rows. */
  static List<String> screen(String out) {
    List<String> rows = new java.util.ArrayList<>(List.of(""));
    int row = 0;
    for (int i = 0; i < out.length(); i++) {
      char c = out.charAt(i);
      if (c == '\u001b') {
        int end = i + 2;
        while (!Character.isLetter(out.charAt(end))) {
          end++;
        }
        String arg = out.substring(i + 2, end);
        switch (out.charAt(end)) {
          case 'A' -> row = Math.max(0, row - Integer.parseInt(arg));
          case 'J' -> {
            while (rows.size() > row + 1) {
              rows.remove(rows.size() - 1);
            }
            rows.set(row, "");
          }
          case 'K' -> rows.set(row, "");
          default -> throw new AssertionError("unexpected escape " + out.substring(i, end + 1));
        }
        i = end;
      } else if (c == '\r') {
        rows.set(row, "");
      } else if (c == '\n') {
        row++;
        if (rows.size() <= row) {
          rows.add("");
        }
      } else {
        rows.set(row, rows.get(row) + c);
      }
    }
    return rows.subList(0, rows.get(rows.size() - 1).isEmpty() ? rows.size() - 1 : rows.size());
  }
}
