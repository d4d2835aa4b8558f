package dev.jbuild.cache;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as Docker writes them: "512MB", "10GB", "1.5GiB", "100" (bytes); printed in decimal units like docker's. */
public final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?)b?", Pattern.CASE_INSENSITIVE);
  private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

  private ByteSize() {}

  /** @throws IllegalArgumentException with the accepted forms */
  public static long parse(String s) {
    Matcher m = SIZE.matcher(s.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + s + "\" is not a size (e.g. 512MB, 10GB, 1.5GiB or a number of bytes)");
    }
    int power = m.group(2).isEmpty() ? 0 : "kmgtp".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
    double base = m.group(3).isEmpty() ? 1000 : 1024;
    return (long) (Double.parseDouble(m.group(1)) * Math.pow(base, power));
  }

  public static String format(long bytes) {
    double v = bytes;
    int u = 0;
    while (v >= 1000 && u < UNITS.length - 1) {
      v /= 1000;
      u++;
    }
    return u == 0 ? bytes + "B" : String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "") + UNITS[u];
  }
}
