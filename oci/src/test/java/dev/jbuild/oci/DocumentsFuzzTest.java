package dev.jbuild.oci;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Any bytes are a manifest, an index and an image config, or an {@link InvalidDocumentException}
 * (never another exception: a registry or a layout can hand jbuild anything); what parses is written
 * as bytes that parse and write as the same bytes again (empty values are left out when written, so the
 * first parse may hold an empty string where the second holds none). Seeds in {@code DocumentsFuzzTestInputs/}; the
 * {@code fuzz-documents} execution fuzzes for a bounded time ({@code -DskipFuzz}).
 */
class DocumentsFuzzTest {
  @FuzzTest(maxDuration = "10s")
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void documents(FuzzedDataProvider data) throws Exception {
    byte[] bytes = data.consumeRemainingAsBytes();
    try {
      byte[] once = Manifest.parse(bytes).toBytes();
      check(once, Manifest.parse(once).toBytes(), bytes);
    } catch (InvalidDocumentException expected) {
      // rejected with a message
    }
    try {
      byte[] once = ImageIndex.parse(bytes).toBytes();
      check(once, ImageIndex.parse(once).toBytes(), bytes);
    } catch (InvalidDocumentException expected) {
      // rejected with a message
    }
    try {
      byte[] once = ImageConfig.parse(bytes).toBytes();
      check(once, ImageConfig.parse(once).toBytes(), bytes);
    } catch (InvalidDocumentException expected) {
      // rejected with a message
    }
  }

  private static void check(byte[] once, byte[] twice, byte[] input) {
    if (!java.util.Arrays.equals(once, twice)) {
      throw new AssertionError(utf8(input) + " was written as " + utf8(once) + ", which is written as " + utf8(twice));
    }
  }

  private static String utf8(byte[] b) {
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }
}
