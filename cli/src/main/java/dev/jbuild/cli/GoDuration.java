package dev.jbuild.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as docker's filters write them (Go's syntax): "24h", "1h30m", "90s", "500ms". */
final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  static Duration parse(String s) {
    Matcher m = PART.matcher(s.strip());
    long nanos = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double v = Double.parseDouble(m.group(1));
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      nanos += (long) (v * unit);
      end = m.end();
    }
    if (end == 0 || end != s.strip().length()) {
      throw new IllegalArgumentException("\"" + s + "\" is not a duration (e.g. 24h, 1h30m, 90s)");
    }
    return Duration.ofNanos(nanos);
  }
}
