package dev.jbuild.bench;

import java.io.OutputStream;

/** Discards bytes, counting them; benchmarks return the count so the work is not optimised away. */
public final class CountingSink extends OutputStream {
  private long count;

  public long count() {
    return count;
  }

  @Override
  public void write(int b) {
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    count += len;
  }
}
