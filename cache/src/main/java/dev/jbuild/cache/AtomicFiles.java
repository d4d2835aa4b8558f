package dev.jbuild.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way anything becomes visible in the store: a temp file named for its process (so the
 * next build can tell a dead writer's leftovers from a live one's), renamed over the final name.
 * {@link #commit}/{@link #write} also fsync the file and then its directory so that it survives a
 * power cut; the {@code Unsynced} variants leave that to the kernel, for what the store can rebuild.
 */
public final class AtomicFiles {
  /** Prefix of temp files: {@code <pid>-}; {@link StoreJanitor} removes those of dead processes. */
  static final String PID_PREFIX = ProcessHandle.current().pid() + "-";

  private AtomicFiles() {}

  /** A new temp file in {@code dir} owned by this process. */
  public static Path tempFile(Path dir, String kind) throws IOException {
    return Files.createTempFile(dir, PID_PREFIX + kind, ".tmp");
  }

  /** Syncs {@code temp} and renames it over {@code dest}; fails loudly if the rename would not be atomic. */
  public static void commit(Path temp, Path dest) throws IOException {
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    renameUnsynced(temp, dest);
    syncDirectory(dest.getParent());
  }

  /** Writes {@code bytes} to {@code dest} atomically through a temp file in {@code tempDir}. */
  public static void write(Path tempDir, Path dest, byte[] bytes) throws IOException {
    write(tempDir, dest, bytes, true);
  }

  /**
   * Writes {@code dest} atomically but without syncing: a reader never sees it half-written, but
   * after a power cut it may be missing, stale or damaged. For files whose readers treat anything
   * they cannot parse as absent and whose loss costs only time: cache records (a lost or damaged
   * one is a miss), stat caches, miss logs, usage memos. A sync on ext4 also flushes other files'
   * data: a record's fsync right after a 20 MB layer took 60 ms (docs/benchmarks.md).
   */
  public static void writeUnsynced(Path tempDir, Path dest, byte[] bytes) throws IOException {
    write(tempDir, dest, bytes, false);
  }

  private static void write(Path tempDir, Path dest, byte[] bytes, boolean sync) throws IOException {
    Path tmp = tempFile(tempDir, "file");
    try {
      Files.write(tmp, bytes);
      commit(tmp, dest, sync);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** {@link #commit(Path, Path)} when {@code sync}, else {@link #renameUnsynced}. */
  public static void commit(Path temp, Path dest, boolean sync) throws IOException {
    if (sync) {
      commit(temp, dest);
    } else {
      renameUnsynced(temp, dest);
    }
  }

  /**
   * Renames a written file over {@code dest} atomically, without syncing either: readers never see
   * it half-written, but after a power cut it may be missing or damaged ({@link #writeUnsynced}).
   */
  public static void renameUnsynced(Path temp, Path dest) throws IOException {
    try {
      Files.move(temp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + temp + " to " + dest + " atomically (are they on different file "
          + "systems?); the jbuild store must be on one file system that supports rename", e);
    }
  }

  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Linux file systems sync directories; some (e.g. certain FUSE ones) refuse, and the rename is still atomic
      if (!"Invalid argument".equals(e.getMessage()) && !(e.getMessage() != null && e.getMessage().contains("EINVAL"))) {
        throw e;
      }
    }
  }

  /** The pid a temp file name starts with, if any. */
  static java.util.OptionalLong ownerPid(String fileName) {
    int dash = fileName.indexOf('-');
    if (dash <= 0) {
      return java.util.OptionalLong.empty();
    }
    try {
      return java.util.OptionalLong.of(Long.parseLong(fileName.substring(0, dash)));
    } catch (NumberFormatException e) {
      return java.util.OptionalLong.empty();
    }
  }
}
