package dev.jbuild.exporters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelGzipOutputStreamTest {
  private static final int B = ParallelGzipOutputStream.BLOCK;

  private static byte[] compress(byte[] data, int chunk) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(bytes, 6)) {
      for (int off = 0; off < data.length; off += chunk) {
        gz.write(data, off, Math.min(chunk, data.length - off));
      }
    }
    return bytes.toByteArray();
  }

  /** Text-like data (compressible, with long-range repeats) or random bytes. */
  private static byte[] data(int size, boolean compressible) {
    byte[] d = new byte[size];
    Random r = new Random(size);
    if (!compressible) {
      r.nextBytes(d);
      return d;
    }
    String[] words = {"layer ", "tar ", "gzip ", "jbuild ", "overlay ", "\n", "RUN ", "COPY "};
    int i = 0;
    while (i < size) {
      byte[] w = words[r.nextInt(words.length)].getBytes();
      for (int k = 0; k < w.length && i < size; k++) {
        d[i++] = w[k];
      }
    }
    return d;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1000, B - 1, B, B + 1, 3 * B + 17, 5_000_000})
  void anyGzipReaderGetsTheInputBack(int size) throws Exception {
    for (boolean compressible : List.of(true, false)) {
      byte[] in = data(size, compressible);
      byte[] gz = compress(in, 8191);
      try (GZIPInputStream r = new GZIPInputStream(new ByteArrayInputStream(gz))) {
        assertArrayEquals(in, r.readAllBytes(), "size " + size + " compressible " + compressible);
      }
    }
  }

  @Test
  void theBytesDependOnlyOnTheInputNotOnHowItIsWritten() throws Exception {
    byte[] in = data(3_000_000, true);
    assertArrayEquals(compress(in, 1), compress(in, 65536));
    assertArrayEquals(compress(in, 4096), compress(in, in.length));
  }

  @Test
  void theRatioStaysCloseToASingleStream() throws Exception {
    byte[] in = data(8_000_000, true);
    ByteArrayOutputStream single = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(single)) {
      g.write(in);
    }
    int parallel = compress(in, 65536).length;
    assertTrue(parallel < single.size() * 1.02, "parallel " + parallel + " vs single " + single.size());
  }

  @Test
  void gnuGzipAcceptsIt(@TempDir Path dir) throws Exception {
    byte[] in = data(2_000_000, true);
    Path f = dir.resolve("x.gz");
    Files.write(f, compress(in, 10_000));
    Process p = new ProcessBuilder("gzip", "-t", f.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), output);
  }
}
