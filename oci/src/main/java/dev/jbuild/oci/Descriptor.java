package dev.jbuild.oci;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;
import java.util.TreeMap;

/** An OCI content descriptor. {@code platform} and {@code annotations} may be null/empty. */
@JsonPropertyOrder({"mediaType", "digest", "size", "annotations", "platform"})
public record Descriptor(
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("digest") String digest,
    @JsonProperty("size") @JsonInclude(JsonInclude.Include.ALWAYS) long size,
    @JsonProperty("annotations") Map<String, String> annotations,
    @JsonProperty("platform") PlatformSpec platform) {

  public Descriptor {
    annotations = annotations == null ? Map.of() : new TreeMap<>(annotations);
  }

  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest.toString(), size, Map.of(), null);
  }

  @JsonIgnore
  public Digest digestValue() {
    return Digest.parse(digest);
  }

  public Descriptor withPlatform(PlatformSpec p) {
    return new Descriptor(mediaType, digest, size, annotations, p);
  }

  public Descriptor withAnnotations(Map<String, String> a) {
    return new Descriptor(mediaType, digest, size, a, platform);
  }
}
