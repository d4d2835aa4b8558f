package dev.jbuild.nativeexec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a deterministic tar: ustar headers with empty user/group names, and a PAX extended header
 * only for what ustar cannot hold (long or non-ASCII names and link targets, big ids, sizes and
 * times, xattrs). Same entries in, same bytes out.
 */
final class TarWriter {
  private static final int BLOCK = 512;
  private static final long MAX_OCTAL_8 = 07777777L;
  private static final long MAX_OCTAL_12 = 077777777777L;

  private static final byte[] ZEROS = new byte[BLOCK * 2];

  private final OutputStream out;
  /**
   * One copy buffer for all entries (a layer has thousands of files; each was given 64 KiB to zero),
   * read into through one ByteBuffer view (a stream over a channel wraps the array again per read).
   */
  private final byte[] buffer = new byte[64 * 1024];
  private final ByteBuffer view = ByteBuffer.wrap(buffer);

  TarWriter(OutputStream out) {
    this.out = out;
  }

  /** Writes one entry; content must supply exactly entry.size() bytes (regular files only). */
  void write(TarEntry entry, ReadableByteChannel content) throws IOException {
    TreeMap<String, byte[]> pax = new TreeMap<>();
    String name = entry.type() == TarEntry.Type.DIRECTORY ? entry.name() + "/" : entry.name();
    byte[] h = new byte[BLOCK];

    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (!isAscii(name)) {
      pax.put("path", nameBytes);
      put(h, 0, 100, truncated(asciiOnly(name), 100));
    } else if (nameBytes.length <= 100) {
      put(h, 0, 100, nameBytes);
    } else {
      int split = prefixSplit(nameBytes);
      if (split > 0) {
        put(h, 345, 155, java.util.Arrays.copyOfRange(nameBytes, 0, split));
        put(h, 0, 100, java.util.Arrays.copyOfRange(nameBytes, split + 1, nameBytes.length));
      } else {
        pax.put("path", nameBytes);
        put(h, 0, 100, truncated(nameBytes, 100));
      }
    }
    byte[] link = entry.linkName().getBytes(StandardCharsets.UTF_8);
    if (link.length > 100 || !isAscii(entry.linkName())) {
      pax.put("linkpath", link);
      put(h, 157, 100, truncated(asciiOnly(entry.linkName()), 100));
    } else {
      put(h, 157, 100, link);
    }
    octal(h, 100, 8, entry.mode() & 07777);
    octal(h, 108, 8, fitOrPax(pax, "uid", entry.uid(), MAX_OCTAL_8));
    octal(h, 116, 8, fitOrPax(pax, "gid", entry.gid(), MAX_OCTAL_8));
    octal(h, 124, 12, fitOrPax(pax, "size", entry.size(), MAX_OCTAL_12));
    octal(h, 136, 12, fitOrPax(pax, "mtime", entry.mtime().getEpochSecond(), MAX_OCTAL_12));
    h[156] = (byte) entry.type().flag;
    put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    if (entry.type() == TarEntry.Type.CHAR_DEVICE || entry.type() == TarEntry.Type.BLOCK_DEVICE) {
      if (entry.devMajor() > MAX_OCTAL_8 || entry.devMinor() > MAX_OCTAL_8) {
        throw new IOException("device number of " + entry.name() + " does not fit in a tar header");
      }
      octal(h, 329, 8, entry.devMajor());
      octal(h, 337, 8, entry.devMinor());
    }
    for (Map.Entry<String, byte[]> x : entry.xattrs().entrySet()) {
      pax.put("SCHILY.xattr." + x.getKey(), x.getValue());
    }

    if (!pax.isEmpty()) {
      writePaxHeader(name, entry.mtime(), pax);
    }
    writeHeader(h);
    if (entry.size() > 0) {
      long copied = copy(content, entry.size());
      if (copied != entry.size()) {
        throw new IOException(entry.name() + " changed while it was archived (expected " + entry.size()
            + " bytes, read " + copied + ")");
      }
      pad(entry.size());
    }
  }

  /** Writes the end-of-archive marker (two zero blocks). Does not close the stream. */
  void finish() throws IOException {
    out.write(ZEROS, 0, BLOCK * 2);
    out.flush();
  }

  private void writePaxHeader(String name, Instant mtime, TreeMap<String, byte[]> records) throws IOException {
    java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> r : records.entrySet()) {
      byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
      int body = key.length + r.getValue().length + 3; // ' ', '=', '\n'
      int len = body + Integer.toString(body).length();
      if (Integer.toString(len).length() != Integer.toString(body).length()) {
        len = body + Integer.toString(len).length(); // the length's own digits pushed it over a power of ten
      }
      data.write((len + " ").getBytes(StandardCharsets.US_ASCII));
      data.write(key);
      data.write('=');
      data.write(r.getValue());
      data.write('\n');
    }
    byte[] h = new byte[BLOCK];
    String base = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    base = base.substring(base.lastIndexOf('/') + 1);
    put(h, 0, 100, truncated(asciiOnly("PaxHeaders/" + base), 100));
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, data.size());
    octal(h, 136, 12, Math.max(0, Math.min(MAX_OCTAL_12, mtime.getEpochSecond())));
    h[156] = 'x';
    put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    writeHeader(h);
    data.writeTo(out);
    pad(data.size());
  }

  private void writeHeader(byte[] h) throws IOException {
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum); // six digits (a header's sum is at most 0377000)
    h[154] = 0;
    h[155] = ' ';
    out.write(h);
  }

  private long copy(ReadableByteChannel in, long size) throws IOException {
    long total = 0;
    while (total < size) {
      view.clear().limit((int) Math.min(buffer.length, size - total));
      int n = in.read(view);
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  private void pad(long size) throws IOException {
    int rest = (int) ((BLOCK - size % BLOCK) % BLOCK);
    if (rest > 0) {
      out.write(ZEROS, 0, rest);
    }
  }

  private static long fitOrPax(Map<String, byte[]> pax, String key, long value, long max) {
    if (value >= 0 && value <= max) {
      return value;
    }
    pax.put(key, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    return 0;
  }

  /** Where a long ASCII name can be split into ustar prefix (≤155) and name (≤100), or -1. */
  private static int prefixSplit(byte[] name) {
    for (int i = Math.min(name.length - 2, 155); i > 0; i--) {
      if (name[i] == '/' && name.length - i - 1 <= 100 && name.length - i - 1 > 0) {
        return i;
      }
    }
    return -1;
  }

  /** {@code len - 1} zero-padded octal digits (callers keep values in range; a field's last byte stays NUL). */
  private static void octal(byte[] h, int off, int len, long value) {
    int digits = len - 1;
    if (value < 0 || (digits < 21 && value >>> (3 * digits) != 0)) {
      String s = Long.toOctalString(value); // out of range: its leading digits, as before
      put(h, off, digits, s.getBytes(StandardCharsets.US_ASCII));
      return;
    }
    long v = value;
    for (int i = off + digits - 1; i >= off; i--) { // written in place: a header per file, thousands per layer
      h[i] = (byte) ('0' + (v & 7));
      v >>>= 3;
    }
  }

  private static void put(byte[] h, int off, int len, byte[] value) {
    System.arraycopy(value, 0, h, off, Math.min(len, value.length));
  }

  private static byte[] truncated(byte[] b, int len) {
    return b.length <= len ? b : java.util.Arrays.copyOf(b, len);
  }

  private static byte[] asciiOnly(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(c < 0x80 && c != 0 ? c : '_');
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80 || s.charAt(i) == 0) {
        return false;
      }
    }
    return true;
  }
}
