package dev.jbuild.nativeexec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Mounts left behind by a jbuild process that was killed (SIGKILL, power loss): found through
 * /proc/self/mountinfo under a directory and detached, deepest first, so the directory can be
 * removed.
 */
public final class StaleMounts {
  private StaleMounts() {}

  /** Unmounts every mount point at or below {@code dir}; returns how many there were. */
  public static int unmountUnder(Path dir) throws IOException {
    Path base = dir.toAbsolutePath().normalize();
    List<Path> points = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4) {
        Path p = Path.of(unescape(f[4]));
        if (p.startsWith(base)) {
          points.add(p);
        }
      }
    }
    points.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    for (Path p : points) {
      Libc.unmount(p);
    }
    return points.size();
  }

  /** mountinfo escapes space, tab, newline and backslash as octal {@code \ooo}. */
  static String unescape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
