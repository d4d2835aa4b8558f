package dev.jbuild.solver;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The directories of {@code RUN --mount=type=cache}, kept under {@code <store>/cache-mounts} across
 * builds: {@code <sha256 of the cache's key>/<instance>/} with a lock file per instance. A cache
 * is created once, atomically (filled in a staging dir, then renamed into place). Sharing:
 * {@code shared} uses instance 0 with no lock; {@code locked} holds instance 0's lock for the whole
 * step, waiting for other steps and other jbuild processes; {@code private} takes the first
 * instance nobody holds, making a new one when all are busy. Locks are OS file locks (between
 * processes) plus an in-process lock (file locks do not exclude threads of one JVM).
 */
final class CacheMounts {
  /** Fills a new cache directory (already created, empty) before it is first used. */
  @FunctionalInterface
  interface Initializer {
    void fill(Path dir) throws Exception;
  }

  /** A cache directory in use by one step; closing releases it. */
  interface Lease extends AutoCloseable {
    Path dir();

    @Override
    void close() throws IOException;
  }

  private final Path root;
  private final ConcurrentHashMap<Path, ReentrantLock> inProcess = new ConcurrentHashMap<>();

  CacheMounts(Path storeRoot) {
    this.root = storeRoot.resolve("cache-mounts");
  }

  /**
   * @param key identifies the cache: its id, plus the identity of its initial content when it has one
   */
  Lease acquire(String key, RunMount.Sharing sharing, Initializer init) throws Exception {
    Path cache = Files.createDirectories(root.resolve(Digest.sha256(key.getBytes(StandardCharsets.UTF_8)).hex()));
    // its last use, for pruning in least-recently-used order
    Files.setLastModifiedTime(cache, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
    switch (sharing) {
      case SHARED -> {
        Path dir = instance(cache, 0, init);
        return lease(dir, null, null);
      }
      case LOCKED -> {
        Path lockFile = cache.resolve("0.lock");
        ReentrantLock local = inProcess.computeIfAbsent(lockFile, p -> new ReentrantLock(true));
        local.lockInterruptibly();
        FileChannel channel = null;
        try {
          channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock();
          return lease(instance(cache, 0, init), lock, local);
        } catch (Exception | Error e) {
          if (channel != null) {
            channel.close();
          }
          local.unlock();
          throw e;
        }
      }
      case PRIVATE -> {
        for (int i = 0; ; i++) {
          Path lockFile = cache.resolve(i + ".lock");
          ReentrantLock local = inProcess.computeIfAbsent(lockFile, p -> new ReentrantLock());
          // held by this thread already (the same cache twice in one step): another instance, and no
          // second channel on the lock file, whose close would drop this process's lock on it
          if (local.isHeldByCurrentThread() || !local.tryLock()) {
            continue;
          }
          FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock;
          try {
            lock = channel.tryLock();
          } catch (OverlappingFileLockException e) {
            lock = null;
          }
          if (lock == null) {
            channel.close();
            local.unlock();
            continue;
          }
          try {
            return lease(instance(cache, i, init), lock, local);
          } catch (Exception | Error e) {
            channel.close();
            local.unlock();
            throw e;
          }
        }
      }
      default -> throw new IllegalStateException("unknown sharing " + sharing);
    }
  }

  /** The instance's directory, created and filled on first use. */
  private static Path instance(Path cache, int n, Initializer init) throws Exception {
    Path dir = cache.resolve(Integer.toString(n));
    if (Files.isDirectory(dir)) {
      return dir;
    }
    // named for this process: the next build removes it if this one is killed while filling it
    Path staging = Files.createTempDirectory(cache, ".new-" + n + "-" + ProcessHandle.current().pid() + "-");
    try {
      init.fill(staging);
      try {
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (!Files.isDirectory(dir)) { // else another build made it first, which is as good
          throw e;
        }
      }
    } finally {
      SnapshotStore.deleteTree(staging);
    }
    return dir;
  }

  private static Lease lease(Path dir, FileLock lock, ReentrantLock local) {
    return new Lease() {
      private boolean open = true;

      @Override
      public Path dir() {
        return dir;
      }

      @Override
      public synchronized void close() throws IOException {
        if (!open) {
          return;
        }
        open = false;
        try {
          if (lock != null) {
            lock.release();
            lock.channel().close();
          }
        } finally {
          if (local != null) {
            local.unlock();
          }
        }
      }
    };
  }
}
