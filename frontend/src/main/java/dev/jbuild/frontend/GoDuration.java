package dev.jbuild.frontend;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as Docker writes them (Go's time.ParseDuration): {@code 30s}, {@code 1m30s}, {@code 1.5h}, {@code 500ms}. */
final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  static long parseNanos(String s) {
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = PART.matcher(s);
    int at = 0;
    BigDecimal total = BigDecimal.ZERO;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException("invalid duration (expected e.g. 30s, 1m30s, 500ms)");
      }
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
      at = m.end();
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    return total.longValueExact();
  }
}
