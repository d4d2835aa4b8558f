package dev.jbuild.solver;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream on a thread of its own, a few chunks ahead of the caller. Why: unpacking a layer
 * is two halves of about the same weight — download, store, gunzip and hash the tar; create its
 * files — and on one thread the second core idles.
 *
 * <p>{@code afterEnd} runs on the reading thread once the source is exhausted, before the caller
 * sees the end (e.g. draining what follows a compressed stream). A failure of the source or of
 * {@code afterEnd} is thrown to the caller by the read that reaches it, as it was thrown.
 * {@link #close()} stops the reading thread and waits for it; it does not close the source.
 */
final class ReadAheadInputStream extends InputStream {
  private static final int CHUNK = 256 * 1024;
  private static final byte[] END = new byte[0];

  /** What the reading thread runs at the end; may throw IOException. */
  @FunctionalInterface
  interface AfterEnd {
    void run() throws IOException;
  }

  private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(8);
  private final Thread reader;
  private volatile Throwable failure;
  private volatile boolean closed;
  private byte[] current = END;
  private int position;
  private boolean ended;

  ReadAheadInputStream(InputStream source, AfterEnd afterEnd, String name) {
    reader = new Thread(() -> readAll(source, afterEnd), name);
    reader.setDaemon(true);
    reader.start();
  }

  private void readAll(InputStream source, AfterEnd afterEnd) {
    try {
      boolean end = false;
      while (!closed && !end) {
        byte[] chunk = new byte[CHUNK];
        int n = 0;
        try {
          while (n < CHUNK) {
            int r = source.read(chunk, n, CHUNK - n);
            if (r < 0) {
              end = true;
              break;
            }
            n += r;
          }
        } finally {
          if (n > 0) { // the bytes before a failure still reach the caller, then the failure
            hand(n == CHUNK ? chunk : java.util.Arrays.copyOf(chunk, n));
          }
        }
      }
      if (end) {
        afterEnd.run();
      }
    } catch (Throwable t) {
      failure = t;
    }
    try {
      hand(END);
    } catch (InterruptedException e) {
      // closed: nobody reads the end
    }
  }

  private void hand(byte[] chunk) throws InterruptedException {
    while (!closed && !chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
      // a full queue: the caller is busy creating files; check for close now and then
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (position == current.length && !next()) {
      return -1;
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current, position, b, off, n);
    position += n;
    return n;
  }

  /** Takes the next chunk; false at the end (or throws what the reading thread met). */
  private boolean next() throws IOException {
    if (ended) {
      return false;
    }
    try {
      current = chunks.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading ahead");
    }
    position = 0;
    if (current != END) {
      return true;
    }
    ended = true;
    Throwable t = failure;
    if (t instanceof IOException io) {
      throw io;
    } else if (t instanceof RuntimeException r) {
      throw r;
    } else if (t instanceof Error e) {
      throw e;
    } else if (t != null) {
      throw new UncheckedIOException(new IOException(t));
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    chunks.clear();
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while stopping the read-ahead thread");
    }
  }
}
