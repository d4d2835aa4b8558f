package dev.jbuild.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cache.CorruptContentException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadAheadInputStreamTest {
  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void deliversEveryByteInOrderThenRunsAfterEndBeforeTheEnd() throws Exception {
    for (int size : new int[] {0, 1, 262_143, 262_144, 262_145, 5_000_000}) {
      byte[] data = random(size);
      AtomicBoolean afterEnd = new AtomicBoolean();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ReadAheadInputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), () -> afterEnd.set(true), "t")) {
        byte[] buf = new byte[7919]; // odd reads across chunk borders
        int n;
        while ((n = in.read(buf, 0, buf.length)) > 0) {
          out.write(buf, 0, n);
        }
        assertTrue(afterEnd.get(), "afterEnd ran before the end was seen, size " + size);
        assertEquals(-1, in.read());
        assertEquals(-1, in.read(buf, 0, 10));
      }
      assertArrayEquals(data, out.toByteArray(), "size " + size);
    }
  }

  @Test
  void aFailureOfTheSourceReachesTheReaderAsItWasThrownAfterTheBytesBeforeIt() throws Exception {
    CorruptContentException corrupt = new CorruptContentException("digest mismatch");
    byte[] head = random(300_000);
    InputStream failing = new InputStream() {
      int pos;

      @Override
      public int read() throws IOException {
        if (pos == head.length) {
          throw corrupt;
        }
        return head[pos++] & 0xff;
      }
    };
    try (ReadAheadInputStream in = new ReadAheadInputStream(failing, () -> { }, "t")) {
      assertArrayEquals(head, in.readNBytes(head.length));
      assertSame(corrupt, assertThrows(CorruptContentException.class, in::read));
    }
    IOException afterEndFails = new IOException("the trailer broke");
    try (ReadAheadInputStream in = new ReadAheadInputStream(new ByteArrayInputStream(head), () -> { throw afterEndFails; }, "t")) {
      assertSame(afterEndFails, assertThrows(IOException.class, in::readAllBytes));
    }
  }

  @Test
  void closingEarlyStopsTheReadingThreadWithoutReadingTheRest() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return 1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        reads.incrementAndGet();
        java.util.Arrays.fill(b, off, off + len, (byte) 1);
        return len;
      }
    };
    ReadAheadInputStream in = new ReadAheadInputStream(endless, () -> { }, "jbuild-test-read-ahead");
    assertEquals(1, in.read());
    in.close(); // returns only once the reading thread is gone
    int after = reads.get();
    Thread.sleep(300);
    assertEquals(after, reads.get(), "the source is not read after close");
    assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("jbuild-test-read-ahead")));
  }
}
