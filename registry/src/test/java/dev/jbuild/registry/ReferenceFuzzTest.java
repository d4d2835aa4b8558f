package dev.jbuild.registry;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Any string is an image reference or an {@link IllegalArgumentException}; a parsed reference
 * prints as a string that parses back to itself. Seeds in {@code ReferenceFuzzTestInputs/}; the
 * {@code fuzz-reference} execution fuzzes for a bounded time ({@code -DskipFuzz}).
 */
class ReferenceFuzzTest {
  @FuzzTest(maxDuration = "10s")
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void reference(FuzzedDataProvider data) {
    String s = data.consumeRemainingAsString();
    ImageReference ref;
    try {
      ref = ImageReference.parse(s);
    } catch (IllegalArgumentException expected) {
      return;
    }
    ImageReference again = ImageReference.parse(ref.toString());
    if (!again.equals(ref)) {
      throw new AssertionError("\"" + s + "\" parsed as " + ref + ", which parses as " + again);
    }
  }
}
