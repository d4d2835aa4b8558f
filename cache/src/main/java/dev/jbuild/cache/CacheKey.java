package dev.jbuild.cache;

import dev.jbuild.oci.Digest;
import dev.jbuild.oci.JsonTrees;
import java.util.Map;

/**
 * A content-addressed cache key: sha256 over the canonical JSON of an operation description
 * (map keys sorted, no timestamps) that already embeds its inputs' keys.
 */
public record CacheKey(Digest digest) {
  /** Computes the key of a description made of maps, lists, strings, numbers and booleans. */
  public static CacheKey of(Map<String, ?> description) {
    return new CacheKey(Digest.sha256(canonicalBytes(description)));
  }

  /**
   * The description as JSON, map keys sorted at every level. Written with Jackson's generator, not
   * an ObjectMapper (whose first use costs a build ≈ 30 ms, see {@link JsonTrees}); the bytes are
   * the ones {@code ObjectMapper} with sorted map entries wrote, so keys of existing caches hold.
   */
  public static byte[] canonicalBytes(Map<String, ?> description) {
    return JsonTrees.canonical(description);
  }

  // equals and hashCode written out (same values as the generated ones): see Digest's

  @Override
  public boolean equals(Object o) {
    return o instanceof CacheKey k && digest.equals(k.digest);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return digest.toString();
  }
}
