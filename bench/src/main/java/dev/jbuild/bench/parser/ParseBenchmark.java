package dev.jbuild.bench.parser;

import dev.jbuild.parser.AstDump;
import dev.jbuild.parser.CheckConfig;
import dev.jbuild.parser.Dockerfile;
import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.DockerfileParser;
import dev.jbuild.parser.LintWarning;
import dev.jbuild.parser.Linter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Warm parsing (and linting) of a generated 5,000-instruction Dockerfile. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// Long warm-up iterations: a 5,000-instruction parse needs many runs before C2 settles.
@Warmup(time = 10)
@Measurement(time = 4)
public class ParseBenchmark {
  static final int INSTRUCTIONS = 5_000;

  String text;
  Dockerfile parsed;

  @Setup
  public void setup() throws DockerfileException {
    text = GeneratedDockerfile.of(INSTRUCTIONS);
    parsed = DockerfileParser.parse("Dockerfile", text);
    if (parsed.instructions().size() != INSTRUCTIONS) {
      throw new IllegalStateException("generated " + parsed.instructions().size() + " instructions");
    }
  }

  @Benchmark
  public Dockerfile parse5000() throws DockerfileException {
    return DockerfileParser.parse("Dockerfile", text);
  }

  @Benchmark
  public List<LintWarning> lint5000() {
    return Linter.lint(parsed, CheckConfig.DEFAULT, image -> null);
  }

  @Benchmark
  public String dump5000() throws DockerfileException {
    return AstDump.dump("Dockerfile", text);
  }
}
