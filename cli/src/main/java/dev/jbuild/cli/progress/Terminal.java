package dev.jbuild.cli.progress;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What {@code --progress=auto} needs to know: is stderr a terminal, and how big is it. */
public record Terminal(boolean isTerminal, int columns, int rows) {
  /** Looks at file descriptor 2 (Linux /proc) and asks stty for the size; TERM=dumb is not a terminal. */
  public static Terminal ofStderr(Map<String, String> env) {
    boolean tty = false;
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      tty = target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException e) {
      tty = false;
    }
    if ("dumb".equals(env.get("TERM"))) {
      tty = false;
    }
    int cols = number(env.get("COLUMNS"), 80);
    int rows = number(env.get("LINES"), 24);
    if (tty) {
      try {
        Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String[] size = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
        if (p.waitFor() == 0 && size.length == 2) {
          rows = number(size[0], rows);
          cols = number(size[1], cols);
        }
      } catch (IOException e) {
        // no stty or no controlling terminal: the environment's or default size
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new Terminal(tty, cols, rows);
  }

  private static int number(String s, int orElse) {
    try {
      int n = s == null ? 0 : Integer.parseInt(s.trim());
      return n > 0 ? n : orElse;
    } catch (NumberFormatException e) {
      return orElse;
    }
  }
}
