package dev.jbuild.solver;

import java.util.Map;

/**
 * Bounds on what one ADD archive may unpack to, so a decompression bomb, a huge sparse file or
 * millions of tiny entries fail the step with a clear message instead of filling the disk.
 * Configured with {@code JBUILD_ADD_MAX_BYTES} (a byte count, or with a K/M/G/T suffix) and
 * {@code JBUILD_ADD_MAX_ENTRIES}.
 */
record ExtractionLimits(long maxBytes, long maxEntries) {
  static final String BYTES_VARIABLE = "JBUILD_ADD_MAX_BYTES";
  static final String ENTRIES_VARIABLE = "JBUILD_ADD_MAX_ENTRIES";
  static final ExtractionLimits DEFAULT = new ExtractionLimits(16L << 30, 1_000_000);

  private static volatile ExtractionLimits current;

  /** The limits from this process's environment (read once), the defaults where unset. */
  static ExtractionLimits current() {
    ExtractionLimits l = current;
    if (l == null) {
      l = fromEnvironment(System.getenv());
      current = l;
    }
    return l;
  }

  /** @throws IllegalArgumentException naming the variable when a value is not a positive size */
  static ExtractionLimits fromEnvironment(Map<String, String> env) {
    long bytes = DEFAULT.maxBytes;
    long entries = DEFAULT.maxEntries;
    if (env.get(BYTES_VARIABLE) != null) {
      bytes = size(env.get(BYTES_VARIABLE), BYTES_VARIABLE);
    }
    if (env.get(ENTRIES_VARIABLE) != null) {
      entries = size(env.get(ENTRIES_VARIABLE), ENTRIES_VARIABLE);
    }
    return new ExtractionLimits(bytes, entries);
  }

  static long size(String value, String variable) {
    return dev.jbuild.nativeexec.LayerLimits.size(value, variable);
  }
}
