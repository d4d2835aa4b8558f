package dev.jbuild.cache;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a cached operation produced: the full layer chain of its resulting filesystem (base
 * layers first), and whether the operation itself added the last layer.
 *
 * @param createdAt when the last added layer was first built (RFC 3339), reused for history
 *     entries so that a cached rebuild yields the same image config
 */
public record CacheRecord(
    @JsonProperty("layers") List<LayerRecord> layers,
    @JsonProperty("addedLayer") boolean addedLayer,
    @JsonProperty("createdAt") String createdAt) {

  public CacheRecord {
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  /** One layer: its compressed blob and its uncompressed diff id. */
  public record LayerRecord(
      @JsonProperty("mediaType") String mediaType,
      @JsonProperty("digest") String digest,
      @JsonProperty("size") long size,
      @JsonProperty("diffId") String diffId) {}
}
