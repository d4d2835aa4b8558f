package dev.jbuild.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jbuild.oci.Digest;
import java.util.Map;

/**
 * A content-addressed cache key: sha256 over the canonical JSON of an operation description
 * (map keys sorted, no timestamps) that already embeds its inputs' keys.
 */
public record CacheKey(Digest digest) {
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
      .build();

  /** Computes the key of a description made of maps, lists, strings, numbers and booleans. */
  public static CacheKey of(Map<String, ?> description) {
    return new CacheKey(Digest.sha256(canonicalBytes(description)));
  }

  public static byte[] canonicalBytes(Map<String, ?> description) {
    try {
      return CANONICAL.writeValueAsBytes(description);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cache key description is not plain data: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return digest.toString();
  }
}
