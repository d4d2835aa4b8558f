package dev.jbuild.bench.parser;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The parser's share of a cold start: every operation starts a fresh JVM, one that parses and
 * lints a small Dockerfile ({@link ColdStartMain} {@code parse}) and one that does not
 * ({@code none}); the difference of the two averages is what the parser adds to jbuild's start.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(time = 3)
@Measurement(time = 5)
public class ColdStartBenchmark {

  @Benchmark
  public int jvmWithoutParser() throws Exception {
    return run("none");
  }

  @Benchmark
  public int jvmParsingSmallDockerfile() throws Exception {
    return run("parse");
  }

  private static int run(String mode) throws IOException, InterruptedException {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        ColdStartMain.class.getName(), mode))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException("cold start run exited with " + code);
    }
    return code;
  }
}
