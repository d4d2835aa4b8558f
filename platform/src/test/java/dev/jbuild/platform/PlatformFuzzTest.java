package dev.jbuild.platform;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Any string is a platform or an {@link IllegalArgumentException}; a parsed platform prints as a
 * string that parses back to itself. Seeds in {@code PlatformFuzzTestInputs/}; the
 * {@code fuzz-platform} execution fuzzes for a bounded time ({@code -DskipFuzz}).
 */
class PlatformFuzzTest {
  @FuzzTest(maxDuration = "10s")
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void platform(FuzzedDataProvider data) {
    String s = data.consumeRemainingAsString();
    Platform p;
    try {
      p = Platform.parse(s);
    } catch (IllegalArgumentException expected) {
      return;
    }
    Platform again = Platform.parse(p.toString());
    if (!again.equals(p)) {
      throw new AssertionError("\"" + s + "\" parsed as " + p + ", which parses as " + again);
    }
  }
}
