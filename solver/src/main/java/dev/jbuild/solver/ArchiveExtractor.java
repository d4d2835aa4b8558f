package dev.jbuild.solver;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * ADD's archive extraction: a local tar (plain, gzip, bzip2 or xz, recognised by its bytes as
 * Docker does, not by its name) is unpacked into the destination. Entry paths are resolved
 * inside the root filesystem like the container would, so no entry or symlink can write outside.
 */
final class ArchiveExtractor {
  /**
   * Deeper entries are refused: real archives stay far below this, and resolving each level
   * inside the root costs time proportional to the depth, so thousands of levels would stall
   * the build.
   */
  static final int MAX_DEPTH = 256;

  private ArchiveExtractor() {}

  /** The compression of a tar archive, or empty when the file is not a tar archive. */
  static Optional<String> detect(Path file) throws IOException {
    byte[] head = new byte[512];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    String compression;
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      compression = "gzip";
    } else if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
      compression = "bzip2";
    } else if (n >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X' && head[4] == 'Z') {
      compression = "xz";
    } else {
      compression = "none";
    }
    if (!compression.equals("none")) {
      // a compressed file is only unpacked when it holds a tar
      try (InputStream in = open(file, compression)) {
        n = in.readNBytes(head, 0, head.length);
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    boolean tar = n == 512 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
    return tar ? Optional.of(compression) : Optional.empty();
  }

  private static InputStream open(Path file, String compression) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    return switch (compression) {
      case "gzip" -> new GzipCompressorInputStream(raw, true);
      case "bzip2" -> new BZip2CompressorInputStream(raw, true);
      case "xz" -> new XZCompressorInputStream(raw, true);
      default -> raw;
    };
  }

  /**
   * Unpacks {@code archive} into {@code destination} (a directory path inside {@code root}).
   * Entries keep the archive's owners; {@code destOwner} (ADD --chown, else root) owns only the
   * destination directories the extraction creates, as in BuildKit. Bounded by
   * {@link ExtractionLimits#current()}.
   */
  static void extract(Path archive, String compression, Path root, String destination, Op.Ownership destOwner)
      throws IOException {
    extract(archive, compression, root, destination, destOwner, ExtractionLimits.current());
  }

  /** As above, with explicit limits; every failure names the archive and the entry. */
  static void extract(Path archive, String compression, Path root, String destination, Op.Ownership destOwner,
      ExtractionLimits limits) throws IOException {
    String base = destination.endsWith("/") ? destination : destination + "/";
    String what = "archive " + archive.getFileName();
    RootPath.mkdirs(root, base, 0755, destOwner);
    long entries = 0;
    long[] written = {0};
    try (TarArchiveInputStream tar = new TarArchiveInputStream(open(archive, compression))) {
      while (true) {
        TarArchiveEntry e;
        try {
          e = tar.getNextEntry();
        } catch (IOException | IllegalArgumentException x) {
          throw new IOException(what + " is not a valid tar archive: " + x.getMessage(), x);
        }
        if (e == null) {
          break;
        }
        if (++entries > limits.maxEntries()) {
          throw new IOException(what + " has more than " + limits.maxEntries() + " entries (the limit; raise it with "
              + ExtractionLimits.ENTRIES_VARIABLE + ")");
        }
        try {
          extractEntry(tar, e, root, base, limits, written);
        } catch (IOException | java.nio.file.InvalidPathException x) {
          String reason = x instanceof java.nio.file.NoSuchFileException
              ? "no such file or directory (is a parent a symlink to a missing directory?)"
              : x instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
              : x.getMessage();
          throw new IOException(what + ": entry \"" + printable(e.getName()) + "\": " + reason, x);
        }
      }
    }
  }

  private static void extractEntry(TarArchiveInputStream tar, TarArchiveEntry e, Path root, String base,
      ExtractionLimits limits, long[] written) throws IOException {
    if (e.getName().indexOf('\0') >= 0 || e.getLinkName().indexOf('\0') >= 0) {
      throw new IOException("the name contains a NUL byte");
    }
    String name = SourceSelection.clean(e.getName());
    if (name.equals(".")) {
      return;
    }
    if (escapes(e.getName())) {
      throw new IOException("escapes the destination");
    }
    if (name.chars().filter(ch -> ch == '/').count() >= MAX_DEPTH) {
      throw new IOException("is nested deeper than " + MAX_DEPTH + " directories");
    }
    String path = base + name;
    RootPath.mkdirs(root, RootPath.parentOf(path), 0755, Op.Ownership.ROOT);
    Path target = RootPath.resolve(root, path, false);
    Op.Ownership owner = new Op.Ownership((int) e.getLongUserId(), (int) e.getLongGroupId());
    if (e.isDirectory()) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        Files.deleteIfExists(target);
        Files.createDirectory(target);
      }
    } else {
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        SnapshotStore.deleteTree(target);
      } else {
        Files.deleteIfExists(target);
      }
      if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
        return; // devices and fifos need privileges an ADD does not have in Docker either
      }
      if (e.isSymbolicLink()) {
        Files.createSymbolicLink(target, Path.of(e.getLinkName()));
        Files.setAttribute(target, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(target, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
        return;
      } else if (e.isLink()) {
        if (escapes(e.getLinkName())) {
          throw new IOException("links outside the destination (" + printable(e.getLinkName()) + ")");
        }
        Path source = RootPath.resolve(root, base + SourceSelection.clean(e.getLinkName()), false);
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException("is a hard link to " + printable(e.getLinkName()) + ", which is not in the destination");
        }
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException("is a hard link to a directory");
        }
        Files.createLink(target, source);
        return;
      } else if (e.isFile()) {
        // the header says how much the entry unpacks to (a sparse file's apparent size): refuse it
        // before writing anything rather than after unpacking up to the limit
        if (e.getRealSize() > limits.maxBytes() - written[0]) {
          throw tooBig(limits);
        }
        copyBounded(tar, target, limits, written);
      } else {
        return; // other kinds (GNU volume labels, …) hold no file
      }
    }
    FileModes.set(target, e.getMode() & 07777, owner);
    Files.setLastModifiedTime(target, FileTime.from(e.getModTime().toInstant()));
  }

  /**
   * Copies one file's content, failing once the whole archive has unpacked more than the limit
   * (counting a sparse file's holes: the limit is on what the archive unpacks to, as for a bomb).
   * Blocks of zeros are skipped rather than written, so a sparse file (and any run of zeros) stays
   * sparse on disk: disk use follows the data, while time still follows the apparent size. A file
   * cut off by the limit is removed, so the failed step leaves nothing half-written.
   */
  private static void copyBounded(InputStream in, Path target, ExtractionLimits limits, long[] written)
      throws IOException {
    byte[] buf = new byte[1 << 16];
    boolean done = false;
    try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(target,
        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      long size = 0;
      int n;
      while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
        written[0] += n;
        if (written[0] > limits.maxBytes()) {
          throw tooBig(limits);
        }
        if (!allZero(buf, n)) {
          out.write(java.nio.ByteBuffer.wrap(buf, 0, n), size);
        }
        size += n;
      }
      if (out.size() < size) {
        out.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1); // a trailing hole: the last byte sets the length
      }
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(target);
      }
    }
  }

  private static IOException tooBig(ExtractionLimits limits) {
    return new IOException("the archive unpacks to more than " + limits.maxBytes() + " bytes (the limit;"
        + " a decompression bomb? raise it with " + ExtractionLimits.BYTES_VARIABLE + ")");
  }

  private static final byte[] ZEROS = new byte[1 << 16];

  private static boolean allZero(byte[] buf, int n) {
    return java.util.Arrays.mismatch(buf, 0, n, ZEROS, 0, n) < 0;
  }

  /** A name as people can read it in one line: control characters escaped. */
  static String printable(String name) {
    StringBuilder sb = new StringBuilder();
    name.codePoints().forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", c));
      } else {
        sb.appendCodePoint(c);
      }
    });
    return sb.toString();
  }

  private static boolean escapes(String name) {
    int depth = 0;
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        depth--;
      } else if (!part.isEmpty() && !part.equals(".")) {
        depth++;
      }
      if (depth < 0) {
        return true;
      }
    }
    return false;
  }
}
