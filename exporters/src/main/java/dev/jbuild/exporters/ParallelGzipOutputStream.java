package dev.jbuild.exporters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream compressed on all cores, the way pigz does it: the input is cut into fixed
 * 256 KiB blocks, each deflated on its own (primed with the previous block's last 32 KiB as
 * dictionary, so the ratio stays that of one stream) and ended with a sync flush, then written in
 * order as one deflate stream. The bytes depend only on the input and the level — never on how
 * many threads ran — so layer digests stay reproducible. Any gzip reader reads the result.
 */
public final class ParallelGzipOutputStream extends OutputStream {
  static final int BLOCK = 256 * 1024;
  private static final int DICTIONARY = 32 * 1024;
  private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
  private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
    Thread t = new Thread(r, "jbuild-gzip");
    t.setDaemon(true);
    return t;
  });
  // the same header as java.util.zip.GZIPOutputStream: no name, no time, OS 0
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, 0};

  private final OutputStream out;
  private final int level;
  private final CRC32 crc = new CRC32();
  private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
  private byte[] block = new byte[BLOCK];
  private int filled;
  private byte[] dictionary;
  private long total;
  private boolean closed;

  public ParallelGzipOutputStream(OutputStream out, int level) throws IOException {
    this.out = out;
    this.level = level;
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    crc.update(b, off, len);
    total += len;
    while (len > 0) {
      int n = Math.min(len, BLOCK - filled);
      System.arraycopy(b, off, block, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == BLOCK) {
        submit(false);
      }
    }
  }

  private void submit(boolean last) throws IOException {
    byte[] input = block;
    int length = filled;
    byte[] dict = dictionary;
    pending.addLast(POOL.submit(() -> deflate(input, length, dict, last, level)));
    if (!last) {
      dictionary = Arrays.copyOfRange(input, length - DICTIONARY, length);
      block = new byte[BLOCK];
      filled = 0;
    }
    // bounded look-ahead: enough work for every core, little memory
    while (pending.size() > 2 * THREADS) {
      writeOldest();
    }
  }

  private static byte[] deflate(byte[] input, int length, byte[] dictionary, boolean last, int level) {
    Deflater d = new Deflater(level, true);
    try {
      if (dictionary != null) {
        d.setDictionary(dictionary);
      }
      d.setInput(input, 0, length);
      ByteArrayOutputStream result = new ByteArrayOutputStream(length / 2 + 64);
      byte[] buf = new byte[64 * 1024];
      if (last) {
        d.finish();
        while (!d.finished()) {
          result.write(buf, 0, d.deflate(buf));
        }
      } else {
        // a sync flush ends the block on a byte boundary without ending the stream
        int n;
        do {
          n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
          result.write(buf, 0, n);
        } while (n == buf.length);
      }
      return result.toByteArray();
    } finally {
      d.end();
    }
  }

  private void writeOldest() throws IOException {
    try {
      out.write(pending.removeFirst().get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw new IOException("compressing failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** Finishes the gzip stream and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      submit(true);
      while (!pending.isEmpty()) {
        writeOldest();
      }
      long c = crc.getValue();
      out.write(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
          (byte) total, (byte) (total >> 8), (byte) (total >> 16), (byte) (total >> 24)});
    } finally {
      for (Future<byte[]> f : pending) {
        f.cancel(true);
      }
      out.close();
    }
  }
}
