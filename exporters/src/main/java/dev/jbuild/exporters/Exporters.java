package dev.jbuild.exporters;

import dev.jbuild.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Helpers shared by the exporters. */
final class Exporters {
  private Exporters() {}

  /** The images in an output's format, reporting the (parallel) recompression as a step when there is one. */
  static ImageSet inFormat(ImageSet images, ImageFormat format, Progress progress, String output)
      throws ExportException, InterruptedException {
    try {
      if (images.format().equals(format)) {
        // a lazily made set compresses its layers here, once, as a step of its own
        return images.isMade() ? images : progress.step("exporting layers as " + format.compression().attributeValue(),
            step -> images.made());
      }
      boolean recompress = format.compression() != images.format().compression() || format.force()
          || !format.level().equals(images.format().level());
      if (!recompress) {
        return images.withFormat(format);
      }
      return progress.step("exporting layers as " + format.compression().attributeValue()
          + (format.level().isPresent() ? " level " + format.effectiveLevel() : ""), step -> images.withFormat(format));
    } catch (InterruptedException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ExportException(output + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new ExportException(output + ": preparing the layers: " + describe(e), e);
    }
  }

  /** A one-line reason for people: the message, or the kind of failure when there is none. */
  static String describe(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.io.UncheckedIOException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof java.nio.file.NoSuchFileException n) {
      return n.getFile() + ": no such file or directory";
    }
    if (t instanceof java.nio.file.AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    if (t instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getFile() + ": " + f.getReason();
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  static String humanSize(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double v = bytes;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }

  /** A temporary sibling of {@code dest} (same file system, so it can be renamed into place). */
  static Path tempBeside(Path dest, boolean directory) throws IOException {
    Path abs = dest.toAbsolutePath();
    Path parent = abs.getParent();
    Files.createDirectories(parent);
    String prefix = "." + abs.getFileName() + ".";
    return directory ? Files.createTempDirectory(parent, prefix) : Files.createTempFile(parent, prefix, ".tmp");
  }

  /** Deletes a file or a directory tree, never following symlinks; absent is fine. */
  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(p);
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(q);
      }
    }
  }

  /** Writes the output's content to what it is given. */
  @FunctionalInterface
  interface Body<T> {
    void write(T target) throws IOException, InterruptedException;
  }

  /**
   * A file output: written to a temporary sibling and renamed over {@code dest} only when
   * complete, so a failed export leaves nothing (or the previous file) behind. {@code -} is
   * standard output.
   */
  static void writeFile(Path dest, Body<java.io.OutputStream> body) throws IOException, InterruptedException {
    if (dest.toString().equals("-")) {
      java.io.OutputStream stdout = new java.io.FilterOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out)) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          flush(); // never close the process's stdout
        }
      };
      body.write(stdout);
      stdout.flush();
      return;
    }
    if (Files.isDirectory(dest)) {
      throw new IOException(dest + " is a directory (dest= names the file to write)");
    }
    Path tmp = tempBeside(dest, false);
    try {
      try (java.io.OutputStream out = Files.newOutputStream(tmp)) {
        body.write(out);
      }
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * A directory output built in a temporary sibling, then put in place. A missing or empty
   * {@code dest} (or one {@code replaceable} accepts) is swapped for the new tree as a whole;
   * with {@code merge}, an existing directory instead receives the new top-level entries one by
   * one (each replacing what had its name), as buildx's local output writes into a directory.
   */
  static void writeDirectory(Path dest, boolean merge, java.util.function.Predicate<Path> replaceable, Body<Path> body)
      throws IOException, InterruptedException {
    if (Files.exists(dest) && !Files.isDirectory(dest)) {
      throw new IOException(dest + " exists and is not a directory");
    }
    Path tmp = tempBeside(dest, true);
    try {
      body.write(tmp);
      if (!Files.exists(dest)) {
        Files.move(tmp, dest, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return;
      }
      boolean empty;
      try (var s = Files.list(dest)) {
        empty = s.findAny().isEmpty();
      }
      if (empty || replaceable.test(dest)) {
        Path old = tempBeside(dest, true);
        Files.delete(old);
        Files.move(dest, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, dest, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
        return;
      }
      if (!merge) {
        throw new IOException(dest + " exists and is not empty; refusing to replace it");
      }
      try (var s = Files.list(tmp)) {
        for (Path p : (Iterable<Path>) s.sorted()::iterator) {
          Path target = dest.resolve(p.getFileName().toString());
          deleteTree(target);
          Files.move(p, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
      }
    } finally {
      deleteTree(tmp);
    }
  }
}
