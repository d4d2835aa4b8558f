package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.solver.SolveOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --max-parallelism}: parsed into the solver's options, nonsense rejected naming the flag. */
class SolveFlagsTest {
  private static SolveFlags parse(String... args) {
    SolveFlags flags = new SolveFlags();
    new CommandLine(flags.mixin()).parseArgs(args);
    return flags;
  }

  @Test
  void theFlagBoundsProcesses() throws Exception {
    assertEquals(new SolveOptions(true, 3), parse("--max-parallelism", "3").options(true));
    assertEquals(new SolveOptions(false, 1), parse("--max-parallelism=1").options(false));
  }

  @Test
  void theDefaultIsTheCpuCount() throws Exception {
    assertEquals(new SolveOptions(false, Runtime.getRuntime().availableProcessors()), parse().options(false));
  }

  @Test
  void lessThanOneIsAUsageError() {
    UserError e = assertThrows(UserError.class, () -> parse("--max-parallelism", "0").options(false));
    assertEquals("--max-parallelism 0: must be at least 1", e.getMessage());
  }

  @Test
  void aNonNumberIsRejectedByTheParser() {
    CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
        () -> parse("--max-parallelism", "many"));
    assertEquals("Invalid value for option '--max-parallelism': 'many' is not an int", e.getMessage());
  }
}
