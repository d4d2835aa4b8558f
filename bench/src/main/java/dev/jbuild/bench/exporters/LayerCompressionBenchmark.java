package dev.jbuild.bench.exporters;

import dev.jbuild.bench.CountingSink;
import dev.jbuild.exporters.Compression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Layer compression throughput of one stream, as the exporters compress a layer
 * ({@code compression=gzip|zstd}, default levels): 64 MiB of real files (binaries and libraries
 * under /usr, like a typical image layer) per operation. Megabytes per second = 64 / (s/op).
 * Run: {@code bench/run.sh LayerCompression -f 1 -wi 2 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class LayerCompressionBenchmark {
  private static final int INPUT_BYTES = 64 << 20;

  @Param({"GZIP", "ZSTD"})
  public String compression;

  private byte[] input;

  @Setup
  public void readInput() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(INPUT_BYTES);
    for (String dir : new String[] {"/usr/lib", "/usr/bin", "/usr/share"}) {
      try (Stream<Path> s = Files.walk(Path.of(dir))) {
        for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
          if (out.size() >= INPUT_BYTES) {
            break;
          }
          try {
            out.write(Files.readAllBytes(p), 0, (int) Math.min(Files.size(p), INPUT_BYTES - out.size()));
          } catch (IOException | OutOfMemoryError unreadable) {
            // skip what cannot be read
          }
        }
      }
    }
    input = out.toByteArray();
  }

  @Benchmark
  public long compressLayer() throws IOException {
    Compression c = Compression.valueOf(compression);
    CountingSink sink = new CountingSink();
    try (OutputStream z = c.compress(sink, c.defaultLevel())) {
      z.write(input);
    }
    return sink.count();
  }

}
