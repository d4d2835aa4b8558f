package dev.jbuild.bench.nativeexec;

import dev.jbuild.bench.CountingSink;
import dev.jbuild.nativeexec.LayerWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The diff of an upper dir of 10,000 files (100 directories of 100 files of {@code fileBytes}
 * each) into an uncompressed layer tar, as {@link LayerWriter} writes it: walk, sort, stat,
 * xattrs, content. Files stay in the page cache between operations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class UpperDiffBenchmark {
  @Param({"0", "1024"})
  public int fileBytes;

  private Path upper;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    upper = Files.createTempDirectory("jbuild-bench-upper");
    byte[] content = new byte[fileBytes];
    for (int d = 0; d < 100; d++) {
      Path dir = Files.createDirectory(upper.resolve("dir" + d));
      for (int f = 0; f < 100; f++) {
        Files.write(dir.resolve("file" + f), content);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (Stream<Path> s = Files.walk(upper)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Benchmark
  public long diff() throws IOException {
    CountingSink out = new CountingSink();
    new LayerWriter(Optional.empty()).write(upper, Set.of(), out);
    return out.count();
  }
}
