package dev.jbuild.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A process-level lock on the store: builds hold it shared, pruning holds it exclusive, so
 * concurrent builds never see content disappear under them.
 */
public final class StoreLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private StoreLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  public static StoreLock shared(Path root) throws IOException {
    return acquire(root, true);
  }

  public static StoreLock exclusive(Path root) throws IOException {
    return acquire(root, false);
  }

  private static StoreLock acquire(Path root, boolean shared) throws IOException {
    Files.createDirectories(root);
    FileChannel ch = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    try {
      return new StoreLock(ch, ch.lock(0, Long.MAX_VALUE, shared));
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
    }
  }
}
