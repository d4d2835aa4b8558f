package dev.jbuild.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jbuild.oci.Digest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Digest and CacheKey write equals and hashCode out (start-up: see Digest); they must give what a
 * record's generated methods give, which twins with the same components here still generate.
 */
class WrittenOutEqualityTest {
  private record DigestTwin(String algorithm, String hex) {}

  private record KeyTwin(Digest digest) {}

  @Test
  void sameValuesAsTheGeneratedMethods() {
    for (String content : new String[] {"", "a", "layer", "\u00e9t\u00e9"}) {
      Digest d = Digest.sha256(content.getBytes(StandardCharsets.UTF_8));
      assertEquals(new DigestTwin(d.algorithm(), d.hex()).hashCode(), d.hashCode(), content);
      assertEquals(new KeyTwin(d).hashCode(), new CacheKey(d).hashCode(), content);
      assertEquals(d, Digest.parse(d.toString()));
      assertEquals(new CacheKey(d), new CacheKey(Digest.parse(d.toString())));
    }
    Digest a = Digest.sha256(new byte[] {1});
    Digest b = Digest.sha256(new byte[] {2});
    assertNotEquals(a, b);
    assertNotEquals(new CacheKey(a), new CacheKey(b));
    assertNotEquals(a, new CacheKey(a));
    assertNotEquals(a, null);
  }
}
