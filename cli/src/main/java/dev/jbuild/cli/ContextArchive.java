package dev.jbuild.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * A build context sent as a tar archive (plain, gzip, bzip2, xz or zstd), as {@code docker build -}
 * and remote tarball contexts are: unpacked into a scratch directory, never outside it.
 */
final class ContextArchive {
  private ContextArchive() {}

  /** The bytes with any compression removed; the stream must support mark/reset. */
  static InputStream decompressed(BufferedInputStream in) throws IOException {
    try {
      String kind = CompressorStreamFactory.detect(in);
      return new BufferedInputStream(new CompressorStreamFactory().createCompressorInputStream(kind, in));
    } catch (CompressorException notCompressed) {
      return in;
    }
  }

  /** Whether the (decompressed) stream starts with a tar header: "ustar" at offset 257, or a V7 header checksum. */
  static boolean isTar(InputStream in) throws IOException {
    in.mark(512);
    byte[] header = in.readNBytes(512);
    in.reset();
    return header.length == 512 && TarArchiveInputStream.matches(header, header.length);
  }

  /** Unpacks a tar into {@code dir}; entries that would land outside it are refused. */
  static void extract(InputStream tar, Path dir, String what) throws UserError, IOException {
    Path root = dir.toAbsolutePath().normalize();
    java.util.Map<Path, Integer> dirModes = new java.util.LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        Path target = inside(root, e.getName(), what);
        if (e.isDirectory()) {
          Files.createDirectories(target);
          dirModes.put(target, e.getMode() | 0700); // applied last: a read-only directory must still be filled
          continue;
        } else if (e.isSymbolicLink()) {
          Files.createDirectories(target.getParent());
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, Path.of(e.getLinkName()));
        } else if (e.isLink()) {
          Files.createDirectories(target.getParent());
          Files.deleteIfExists(target);
          Files.createLink(target, inside(root, e.getLinkName(), what));
        } else if (e.isFile()) {
          Files.createDirectories(target.getParent());
          Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else {
          continue; // devices and fifos have no place in a build context
        }
        if (!e.isSymbolicLink()) {
          Files.setPosixFilePermissions(target, permissions(e.getMode()));
        }
      }
    }
    for (var d : dirModes.entrySet()) {
      Files.setPosixFilePermissions(d.getKey(), permissions(d.getValue()));
    }
  }

  private static Path inside(Path root, String name, String what) throws UserError {
    Path p = root.resolve(name.startsWith("/") ? name.substring(1) : name).normalize();
    if (!p.startsWith(root)) {
      throw new UserError(what + ": the archive entry \"" + name + "\" points outside the context");
    }
    return p;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE, high bit first
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        out.add(bits[i]);
      }
    }
    out.add(PosixFilePermission.OWNER_READ); // the build must be able to read what it was sent
    return out;
  }
}
