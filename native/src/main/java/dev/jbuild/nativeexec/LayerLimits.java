package dev.jbuild.nativeexec;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Bounds on one image layer as it is unpacked, so a hostile base image (a decompression bomb, a
 * layer of millions of entries) fails with a clear message instead of filling the disk:
 * {@code JBUILD_LAYER_MAX_BYTES} (uncompressed tar bytes; a count or with a K/M/G/T suffix) and
 * {@code JBUILD_LAYER_MAX_ENTRIES}.
 */
public record LayerLimits(long maxBytes, long maxEntries) {
  public static final String BYTES_VARIABLE = "JBUILD_LAYER_MAX_BYTES";
  public static final String ENTRIES_VARIABLE = "JBUILD_LAYER_MAX_ENTRIES";
  public static final LayerLimits DEFAULT = new LayerLimits(64L << 30, 10_000_000);

  /** @throws IllegalArgumentException naming the variable when a value is not a positive size */
  public static LayerLimits fromEnvironment(Map<String, String> env) {
    long bytes = env.get(BYTES_VARIABLE) == null ? DEFAULT.maxBytes : size(env.get(BYTES_VARIABLE), BYTES_VARIABLE);
    long entries = env.get(ENTRIES_VARIABLE) == null ? DEFAULT.maxEntries
        : size(env.get(ENTRIES_VARIABLE), ENTRIES_VARIABLE);
    return new LayerLimits(bytes, entries);
  }

  /** A positive count, optionally with a binary K, M, G or T suffix. */
  public static long size(String value, String variable) {
    String v = value.strip().toUpperCase(java.util.Locale.ROOT);
    int shift = 0;
    if (!v.isEmpty() && "KMGT".indexOf(v.charAt(v.length() - 1)) >= 0) {
      shift = 10 * ("KMGT".indexOf(v.charAt(v.length() - 1)) + 1);
      v = v.substring(0, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v);
      if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException();
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(variable + "=" + value + ": expected a positive number, optionally with K, M, G or T");
    }
  }

  /** {@code in}, failing once more than {@link #maxBytes} have been read from it. */
  InputStream bounded(InputStream in) {
    return new FilterInputStream(in) {
      private long read;

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          count(1);
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
          count(n);
        }
        return n;
      }

      private void count(long n) throws IOException {
        read += n;
        if (read > maxBytes) {
          throw new IOException("the layer unpacks to more than " + maxBytes + " bytes (the limit; a decompression bomb?"
              + " raise it with " + BYTES_VARIABLE + ")");
        }
      }
    };
  }
}
