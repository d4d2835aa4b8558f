package dev.jbuild.nativeexec;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads ustar, PAX and GNU (long name/link) tar archives. Written here rather than taken from a
 * library because PAX xattr values must stay raw bytes ({@code security.capability} is binary),
 * which string-based readers corrupt.
 */
final class TarReader {
  private static final int BLOCK = 512;
  private static final String XATTR_PREFIX = "SCHILY.xattr.";

  private final InputStream in;
  private final byte[] header = new byte[BLOCK];
  private final Map<String, byte[]> globalPax = new HashMap<>();
  private long remaining; // unread content bytes of the current entry
  private long padding;
  private boolean ended;

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or null at the end of the archive. */
  TarEntry next() throws IOException, LayerException {
    if (ended) {
      return null;
    }
    skipCurrent();
    Map<String, byte[]> pax = new HashMap<>(globalPax);
    String longName = null;
    String longLink = null;
    while (true) {
      if (!readHeader()) {
        ended = true;
        return null;
      }
      char flag = (char) (header[156] & 0xff);
      long size = number(124, 12);
      if (size < 0) { // base-256 can say so; nothing sensible follows
        throw new LayerException("layer is not a valid tar archive (negative entry size)");
      }
      switch (flag) {
        case 'x' -> {
          pax.putAll(paxRecords(readAll(size)));
          continue;
        }
        case 'g' -> {
          Map<String, byte[]> g = paxRecords(readAll(size));
          globalPax.putAll(g);
          pax.putAll(g);
          continue;
        }
        case 'L' -> {
          longName = cString(readAll(size), 0, (int) size);
          continue;
        }
        case 'K' -> {
          longLink = cString(readAll(size), 0, (int) size);
          continue;
        }
        default -> { }
      }
      for (String key : pax.keySet()) {
        if (key.startsWith("GNU.sparse.")) {
          throw new LayerException("layer uses GNU sparse files, which jbuild does not support");
        }
      }
      TarEntry.Type type = switch (flag) {
        case '0', '\0', '7' -> TarEntry.Type.FILE;
        case '1' -> TarEntry.Type.HARDLINK;
        case '2' -> TarEntry.Type.SYMLINK;
        case '3' -> TarEntry.Type.CHAR_DEVICE;
        case '4' -> TarEntry.Type.BLOCK_DEVICE;
        case '5' -> TarEntry.Type.DIRECTORY;
        case '6' -> TarEntry.Type.FIFO;
        case 'S' -> throw new LayerException("layer uses GNU sparse files, which jbuild does not support");
        default -> throw new LayerException("layer has a tar entry of unsupported type '" + flag + "'");
      };
      String name = longName != null ? longName : headerName();
      String link = longLink != null ? longLink : cString(header, 157, 100);
      long uid = number(108, 8);
      long gid = number(116, 8);
      Instant mtime = Instant.ofEpochSecond(number(136, 12));
      TreeMap<String, byte[]> xattrs = new TreeMap<>();
      for (Map.Entry<String, byte[]> e : pax.entrySet()) {
        String v = new String(e.getValue(), StandardCharsets.UTF_8);
        switch (e.getKey()) {
          case "path" -> name = v;
          case "linkpath" -> link = v;
          case "size" -> size = decimal(e.getKey(), v);
          case "uid" -> uid = decimal(e.getKey(), v);
          case "gid" -> gid = decimal(e.getKey(), v);
          case "mtime" -> mtime = paxTime(v);
          default -> {
            if (e.getKey().startsWith(XATTR_PREFIX)) {
              xattrs.put(e.getKey().substring(XATTR_PREFIX.length()), e.getValue());
            }
          }
        }
      }
      if (type != TarEntry.Type.FILE) {
        size = 0; // links, directories and devices never carry data, whatever the size field says
      }
      startContent(size);
      return new TarEntry(normalised(name), type, (int) number(100, 8) & 07777, uid, gid, size, mtime, link,
          number(329, 8), number(337, 8), xattrs);
    }
  }

  /** The current entry's data; reading past its end returns -1. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new EOFException("layer tar ends in the middle of an entry");
        }
        remaining -= n;
        return n;
      }
    };
  }

  private void startContent(long size) {
    remaining = size;
    padding = (BLOCK - size % BLOCK) % BLOCK;
  }

  private void skipCurrent() throws IOException {
    skipFully(remaining + padding);
    remaining = 0;
    padding = 0;
  }

  private void skipFully(long n) throws IOException {
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new EOFException("layer tar ends in the middle of an entry");
      }
      n -= r;
    }
  }

  /** Reads the next header block; false at the end-of-archive marker or a clean end of stream. */
  private boolean readHeader() throws IOException, LayerException {
    int got = in.readNBytes(header, 0, BLOCK);
    if (got == 0) {
      return false;
    }
    if (got < BLOCK) {
      throw new LayerException("layer tar is truncated (a header block has only " + got + " bytes)");
    }
    boolean zero = true;
    for (byte b : header) {
      if (b != 0) {
        zero = false;
        break;
      }
    }
    if (zero) {
      in.transferTo(java.io.OutputStream.nullOutputStream()); // consume the rest so a caller's digest covers the whole blob
      return false;
    }
    long stored = number(148, 8);
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : header[i];
      unsigned += b & 0xff;
      signed += (byte) b;
    }
    if (stored != unsigned && stored != signed) {
      throw new LayerException("layer is not a valid tar archive (header checksum mismatch)");
    }
    return true;
  }

  private byte[] readAll(long size) throws IOException, LayerException {
    if (size > 16 * 1024 * 1024) {
      throw new LayerException("layer tar has an extended header of " + size + " bytes (limit 16 MiB)");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw new EOFException("layer tar ends in the middle of an extended header");
    }
    skipFully((BLOCK - size % BLOCK) % BLOCK);
    return data;
  }

  private String headerName() {
    String name = cString(header, 0, 100);
    boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
        && header[261] == 'r' && header[262] == 0;
    String prefix = ustar ? cString(header, 345, 155) : ""; // GNU tar keeps atime/ctime there instead
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private long number(int off, int len) throws LayerException {
    if ((header[off] & 0x80) != 0) { // base-256, used for values too big for octal
      long v = header[off] & 0x7f;
      boolean negative = (header[off] & 0x40) != 0;
      if (negative) {
        v = header[off] | ~0x7fL;
      }
      for (int i = 1; i < len; i++) {
        v = (v << 8) | (header[off + i] & 0xff);
      }
      return v;
    }
    long v = 0;
    int i = off;
    int end = off + len;
    while (i < end && (header[i] == ' ' || header[i] == 0)) {
      i++;
    }
    for (; i < end && header[i] != ' ' && header[i] != 0; i++) {
      if (header[i] < '0' || header[i] > '7') {
        throw new LayerException("layer is not a valid tar archive (bad octal number in a header)");
      }
      v = (v << 3) | (header[i] - '0');
    }
    return v;
  }

  /** Drops "./" prefixes and trailing slashes; a leading "/" stays so that readers can reject it. */
  private static String normalised(String name) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    while (n.length() > 1 && n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n.equals(".") ? "" : n;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  /** PAX records: "LEN KEY=VALUE\n", LEN counting the whole record. */
  private static Map<String, byte[]> paxRecords(byte[] data) throws LayerException {
    Map<String, byte[]> records = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      if (data[pos] == 0) {
        break;
      }
      int space = pos;
      int len = 0;
      while (space < data.length && data[space] != ' ') {
        if (data[space] < '0' || data[space] > '9') {
          throw new LayerException("layer tar has a malformed PAX header");
        }
        len = len * 10 + (data[space] - '0');
        space++;
      }
      int end = pos + len;
      if (len == 0 || end > data.length || data[end - 1] != '\n') {
        throw new LayerException("layer tar has a malformed PAX header");
      }
      int eq = space + 1;
      while (eq < end && data[eq] != '=') {
        eq++;
      }
      if (eq >= end) {
        throw new LayerException("layer tar has a malformed PAX header");
      }
      String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
      byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, end - 1);
      records.put(key, value);
      pos = end;
    }
    return records;
  }

  private static long decimal(String key, String v) throws LayerException {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new LayerException("layer tar has a bad PAX " + key + " value \"" + v + "\"");
    }
  }

  private static Instant paxTime(String v) throws LayerException {
    try {
      BigDecimal d = new BigDecimal(v.trim());
      long seconds = d.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
      int nanos = d.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).intValue();
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new LayerException("layer tar has a bad PAX mtime \"" + v + "\"");
    }
  }
}
