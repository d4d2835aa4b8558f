package dev.jbuild.bench.parser;

import dev.jbuild.parser.ExpansionException;
import dev.jbuild.parser.ShellExpander;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code ${V//p/r}} and {@code ${V%%p}} on multi-kilobyte values (a PATH-like list of
 * {@code /usr/lib/pkg-N} entries), including a pattern that never matches.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReplaceBenchmark {
  @Param({"4096", "65536"})
  int size;

  @Param({"${V//:/ }", "${V//*pkg-1*:/x}", "${V//lib*zzz/x}", "${V%%:*}"})
  String word;

  Map<String, String> env;
  final ShellExpander expander = new ShellExpander('\\');

  @Setup
  public void setup() {
    StringBuilder v = new StringBuilder();
    for (int i = 0; v.length() < size; i++) {
      v.append("/usr/lib/pkg-").append(i).append(':');
    }
    env = Map.of("V", v.substring(0, size));
  }

  @Benchmark
  public String expand() throws ExpansionException {
    return expander.expand(word, env::get);
  }
}
