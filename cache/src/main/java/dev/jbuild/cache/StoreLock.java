package dev.jbuild.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A process-level lock on the store: builds hold it shared, pruning holds it exclusive, so
 * concurrent builds never see content disappear under them. A second lock file is a gate that
 * gives a waiting prune priority: a build passes the gate (shared, briefly) before it takes the
 * store lock, and a prune holds the gate while it waits, so a stream of overlapping builds
 * cannot starve it; builds that arrive meanwhile wait for the prune.
 */
public final class StoreLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;
  private final FileChannel gate;

  private StoreLock(FileChannel channel, FileLock lock, FileChannel gate) {
    this.channel = channel;
    this.lock = lock;
    this.gate = gate;
  }

  public static StoreLock shared(Path root) throws IOException {
    try (FileChannel gate = open(root, "lock.gate")) {
      gate.lock(0, Long.MAX_VALUE, true);
      return acquire(root, true, null); // closing the gate channel releases the gate
    }
  }

  public static StoreLock exclusive(Path root) throws IOException {
    FileChannel gate = open(root, "lock.gate");
    try {
      gate.lock(0, Long.MAX_VALUE, false);
      return acquire(root, false, gate);
    } catch (IOException | RuntimeException e) {
      gate.close();
      throw e;
    }
  }

  /** The exclusive lock if nobody holds the store now (for automatic cleanup after a build). */
  public static Optional<StoreLock> tryExclusive(Path root) throws IOException {
    FileChannel ch = open(root, "lock");
    try {
      FileLock l = ch.tryLock(0, Long.MAX_VALUE, false);
      if (l == null) {
        ch.close();
        return Optional.empty();
      }
      return Optional.of(new StoreLock(ch, l, null));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static FileChannel open(Path root, String name) throws IOException {
    Files.createDirectories(root);
    return FileChannel.open(root.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
  }

  private static StoreLock acquire(Path root, boolean shared, FileChannel gate) throws IOException {
    FileChannel ch = open(root, "lock");
    try {
      return new StoreLock(ch, ch.lock(0, Long.MAX_VALUE, shared), gate);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
      if (gate != null) {
        gate.close();
      }
    }
  }
}
