package dev.jbuild.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.jbuild.platform.Platform;

/** The {@code platform} object of an index entry, as written on the wire. */
@JsonPropertyOrder({"architecture", "os", "variant"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PlatformSpec(
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("variant") String variant) {

  public static PlatformSpec of(Platform p) {
    return new PlatformSpec(p.architecture(), p.os(), p.indexVariant());
  }

  public Platform toPlatform() {
    return Platform.normalise(os == null ? "linux" : os, architecture == null ? "" : architecture, variant);
  }
}
