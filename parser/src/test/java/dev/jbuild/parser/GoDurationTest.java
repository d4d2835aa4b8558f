package dev.jbuild.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's time.ParseDuration, as documented: values in nanoseconds, fractions truncated. */
class GoDurationTest {

  @ParameterizedTest
  @CsvSource({
      "0, 0", "+0, 0", "-0, 0", "5s, 5000000000", "30s, 30000000000", "1m30s, 90000000000",
      "1.5h, 5400000000000", "500ms, 500000000", "-2ms, -2000000", "+5s, 5000000000",
      "1.5ns, 1", ".5s, 500000000", "1.s, 1000000000", "2us, 2000", "2\u00b5s, 2000",
      "2\u03bcs, 2000", "1h2m3.5s, 3723500000000", "0.000000001s, 1", "1.0000000001s, 1000000000",
      "2562047h, 9223369200000000000", "9223372036854775807ns, 9223372036854775807",
      "-9223372036854775808ns, -9223372036854775808", "3m0s, 180000000000"})
  void parses(String text, long nanos) {
    assertEquals(nanos, GoDuration.parse(text).toNanos());
  }

  @ParameterizedTest
  @CsvSource({
      "5, missing unit", "1m5, missing unit", "abc, not a duration", "1d, unknown unit \"d\"",
      "1sec, unknown unit \"sec\"", "s, not a duration", "., not a duration", "-, not a duration",
      "'', not a duration", ".s, not a duration", "9223372036854775808ns, out of range",
      "2562048h, out of range", "1S, unknown unit \"S\"", "' 1s', not a duration"})
  void rejects(String text, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
    assertEquals(reason, e.getMessage());
  }
}
