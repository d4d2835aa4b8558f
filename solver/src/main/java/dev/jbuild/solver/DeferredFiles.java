package dev.jbuild.solver;

import dev.jbuild.nativeexec.FileMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Regular files a COPY writes straight into the upper dir once the overlay is unmounted, instead
 * of through the mounted root: creating a file through overlayfs costs several times what it costs
 * in a plain directory (a 10,000-file COPY spent most of its time in overlayfs' open). A file is
 * deferred only when nothing exists at its destination in the merged view and its parent already
 * exists in the upper dir, so the file it becomes in the layer is exactly what writing it through
 * the mount would have made. Later operations on the same path win, as they would have in order.
 */
final class DeferredFiles implements SnapshotStore.UpperWrites {
  /** One file to write, with what COPY gives it. */
  private record Pending(Path source, int mode, Op.Ownership owner, FileTime mtime) {}

  /** Upper-relative destination → file, in COPY order (a later copy to the same path replaces it). */
  private final Map<String, Pending> pending = new LinkedHashMap<>();

  void add(String upperPath, Path source, int mode, Op.Ownership owner, FileTime mtime) {
    pending.remove(upperPath);
    pending.put(upperPath, new Pending(source, mode, owner, mtime));
  }

  /** Something else was written at {@code upperPath} through the mount after the file was deferred: it wins. */
  void overwritten(String upperPath) {
    pending.remove(upperPath);
  }

  int size() {
    return pending.size();
  }

  /** Writes the files, a share per core: the parents exist, so no two writers touch the same entry. */
  @Override
  public void writeInto(Path upper) throws IOException, InterruptedException {
    List<Map.Entry<String, Pending>> all = new ArrayList<>(pending.entrySet());
    int threads = Math.min(Runtime.getRuntime().availableProcessors(), Math.max(1, all.size() / 256));
    if (threads <= 1) {
      for (Map.Entry<String, Pending> e : all) {
        write(upper, e.getKey(), e.getValue());
      }
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "copy-writer");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> parts = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        List<Map.Entry<String, Pending>> share = all.subList(all.size() * i / threads, all.size() * (i + 1) / threads);
        parts.add(pool.submit(() -> {
          for (Map.Entry<String, Pending> e : share) {
            try {
              write(upper, e.getKey(), e.getValue());
            } catch (IOException ex) {
              throw new UncheckedIOException(ex);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : parts) {
        f.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static void write(Path upper, String upperPath, Pending f) throws IOException {
    Path dest = upper.resolve(upperPath);
    if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
      return; // a later operation (a link, a directory) took the path through the mount
    }
    try (FileChannel in = FileChannel.open(f.source());
         FileChannel out = FileChannel.open(dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long size = in.size();
      for (long at = 0; at < size; ) {
        long n = in.transferTo(at, size - at, out);
        if (n <= 0) {
          break; // the source shrank while being copied
        }
        at += n;
      }
    }
    FileMetadata.set(dest, f.owner().uid(), f.owner().gid(), f.mode(), f.mtime().toInstant());
  }
}
