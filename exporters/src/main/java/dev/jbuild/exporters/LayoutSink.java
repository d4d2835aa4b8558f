package dev.jbuild.exporters;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.oci.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Where an image layout's files go: a tar stream (entries in call order, fixed times and owners)
 * or a directory. Blobs are copied from the content store, verified as they are read.
 */
interface LayoutSink extends AutoCloseable {
  void file(String name, byte[] data) throws IOException;

  void directory(String name) throws IOException;

  void blob(String name, ContentStore content, Digest d) throws IOException;

  @Override
  void close() throws IOException;

  static LayoutSink tar(OutputStream out, Instant entryTime) {
    return new Tar(out, entryTime);
  }

  static LayoutSink directory(Path root, Instant fileTime) {
    return new Directory(root, fileTime);
  }

  /** A tar whose bytes depend only on what is written (no host times, owners or names). */
  final class Tar implements LayoutSink {
    private final TarArchiveOutputStream tar;
    private final Instant entryTime;

    Tar(OutputStream out, Instant entryTime) {
      this.tar = new TarArchiveOutputStream(new BufferedOutputStream(out, 1 << 16));
      this.tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      this.entryTime = entryTime;
    }

    @Override
    public void file(String name, byte[] data) throws IOException {
      TarArchiveEntry e = entry(name, TarArchiveEntry.LF_NORMAL);
      e.setSize(data.length);
      tar.putArchiveEntry(e);
      tar.write(data);
      tar.closeArchiveEntry();
    }

    @Override
    public void directory(String name) throws IOException {
      tar.putArchiveEntry(entry(name.endsWith("/") ? name : name + "/", TarArchiveEntry.LF_DIR));
      tar.closeArchiveEntry();
    }

    @Override
    public void blob(String name, ContentStore content, Digest d) throws IOException {
      TarArchiveEntry e = entry(name, TarArchiveEntry.LF_NORMAL);
      e.setSize(content.size(d));
      tar.putArchiveEntry(e);
      try (InputStream in = content.open(d)) {
        in.transferTo(tar);
      }
      tar.closeArchiveEntry();
    }

    private TarArchiveEntry entry(String name, byte type) {
      TarArchiveEntry e = new TarArchiveEntry(name, type);
      e.setMode(type == TarArchiveEntry.LF_DIR ? 040755 : 0100644);
      e.setModTime(FileTime.from(entryTime));
      e.setUserId(0);
      e.setGroupId(0);
      return e;
    }

    @Override
    public void close() throws IOException {
      tar.finish();
      tar.flush();
      tar.close();
    }
  }

  /** Plain files with a fixed modification time; blobs are copied through the store's verifying read. */
  final class Directory implements LayoutSink {
    private final Path root;
    private final FileTime time;

    Directory(Path root, Instant fileTime) {
      this.root = root;
      this.time = FileTime.from(fileTime);
    }

    @Override
    public void file(String name, byte[] data) throws IOException {
      Path p = root.resolve(name);
      Files.write(p, data);
      Files.setLastModifiedTime(p, time);
    }

    @Override
    public void directory(String name) throws IOException {
      Files.createDirectories(root.resolve(name));
    }

    @Override
    public void blob(String name, ContentStore content, Digest d) throws IOException {
      Path p = root.resolve(name);
      // Copy through the verifying stream: a corrupt store blob must not reach the output.
      try (InputStream in = content.open(d); OutputStream out = Files.newOutputStream(p)) {
        in.transferTo(out);
      }
      Files.setLastModifiedTime(p, time);
    }

    @Override
    public void close() throws IOException {
      try (var s = Files.walk(root)) {
        for (Path p : (Iterable<Path>) s.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder())::iterator) {
          Files.setLastModifiedTime(p, time);
        }
      }
    }
  }
}
