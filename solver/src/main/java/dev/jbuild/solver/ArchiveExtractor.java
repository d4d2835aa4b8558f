package dev.jbuild.solver;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
   * destination directories the extraction creates, as in BuildKit.
   */
  static void extract(Path archive, String compression, Path root, String destination, Op.Ownership destOwner)
      throws IOException {
    String base = destination.endsWith("/") ? destination : destination + "/";
    RootPath.mkdirs(root, base, 0755, destOwner);
    try (TarArchiveInputStream tar = new TarArchiveInputStream(open(archive, compression))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name = SourceSelection.clean(e.getName());
        if (name.equals(".")) {
          continue;
        }
        if (escapes(e.getName())) {
          throw new IOException("archive entry " + e.getName() + " escapes the destination");
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
          if (e.isSymbolicLink()) {
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            Files.setAttribute(target, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(target, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
            continue;
          } else if (e.isLink()) {
            if (escapes(e.getLinkName())) {
              throw new IOException("archive entry " + e.getName() + " links outside the destination");
            }
            Files.createLink(target, RootPath.resolve(root, base + SourceSelection.clean(e.getLinkName()), false));
            continue;
          } else if (e.isFile()) {
            Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
          } else {
            continue; // devices and fifos need privileges an ADD does not have in Docker either
          }
        }
        FileModes.set(target, e.getMode() & 07777, owner);
        Files.setLastModifiedTime(target, FileTime.from(e.getModTime().toInstant()));
      }
    }
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
