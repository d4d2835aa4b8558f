package dev.jbuild.parser;

import java.math.BigInteger;
import java.time.Duration;

/**
 * Go's {@code time.ParseDuration}, which is what Docker uses for HEALTHCHECK durations:
 * {@code 30s}, {@code 1m30s}, {@code 1.5h}, {@code -2ms}, {@code 0}. The only parser of this
 * syntax in jbuild, so that the parser and the frontend cannot disagree.
 */
public final class GoDuration {
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /**
   * The duration, or IllegalArgumentException whose message is the reason alone ({@code missing
   * unit}, {@code unknown unit "d"}, {@code not a duration}, {@code out of range}), for the
   * caller to put next to the flag or field it came from.
   */
  public static Duration parse(String s) {
    String body = s;
    boolean negative = false;
    if (!body.isEmpty() && (body.charAt(0) == '-' || body.charAt(0) == '+')) {
      negative = body.charAt(0) == '-';
      body = body.substring(1);
    }
    if (body.equals("0")) {
      return Duration.ZERO;
    }
    if (body.isEmpty()) {
      throw new IllegalArgumentException("not a duration");
    }
    BigInteger total = BigInteger.ZERO;
    int at = 0;
    while (at < body.length()) {
      int intStart = at;
      while (at < body.length() && isDigit(body.charAt(at))) {
        at++;
      }
      String whole = body.substring(intStart, at);
      String fraction = "";
      if (at < body.length() && body.charAt(at) == '.') {
        int fracStart = ++at;
        while (at < body.length() && isDigit(body.charAt(at))) {
          at++;
        }
        fraction = body.substring(fracStart, at);
      }
      if (whole.isEmpty() && fraction.isEmpty()) {
        throw new IllegalArgumentException("not a duration"); // no digits, e.g. ".s" or "s"
      }
      int unitStart = at;
      while (at < body.length() && body.charAt(at) != '.' && !isDigit(body.charAt(at))) {
        at++;
      }
      String unitText = body.substring(unitStart, at);
      if (unitText.isEmpty()) {
        throw new IllegalArgumentException("missing unit");
      }
      long unit = unit(unitText);
      if (unit == 0) {
        throw new IllegalArgumentException("unknown unit " + GoQuote.quote(unitText));
      }
      // As Go: the integer part times the unit, plus the fraction scaled down, truncated.
      BigInteger part = (whole.isEmpty() ? BigInteger.ZERO : new BigInteger(whole))
          .multiply(BigInteger.valueOf(unit));
      if (!fraction.isEmpty()) {
        part = part.add(new BigInteger(fraction).multiply(BigInteger.valueOf(unit))
            .divide(BigInteger.TEN.pow(fraction.length())));
      }
      total = total.add(part);
      if (total.compareTo(MAX) > 0 && !(negative && total.equals(MAX.add(BigInteger.ONE)))) {
        throw new IllegalArgumentException("out of range");
      }
    }
    long nanos = negative ? total.negate().longValue() : total.longValue();
    return Duration.ofNanos(nanos);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static long unit(String u) {
    switch (u) {
      case "ns": return 1L;
      case "us": case "\u00b5s": case "\u03bcs": return 1_000L;
      case "ms": return 1_000_000L;
      case "s": return 1_000_000_000L;
      case "m": return 60_000_000_000L;
      case "h": return 3_600_000_000_000L;
      default: return 0;
    }
  }
}
