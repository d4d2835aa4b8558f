package dev.jbuild.registry;

import dev.jbuild.oci.Digest;

/**
 * A manifest or index exactly as the registry served it.
 *
 * @param bytes     the body, unchanged (its sha256 is {@code digest})
 * @param mediaType from Content-Type, or the document's own {@code mediaType} field
 * @param digest    computed from {@code bytes} and checked against what was asked for
 */
public record FetchedManifest(byte[] bytes, String mediaType, Digest digest) {
  public FetchedManifest {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FetchedManifest m && java.util.Arrays.equals(bytes, m.bytes)
        && mediaType.equals(m.mediaType) && digest.equals(m.digest);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "FetchedManifest[" + mediaType + " " + digest + ", " + bytes.length + " bytes]";
  }

  public boolean isIndex() {
    return dev.jbuild.oci.MediaTypes.isIndex(mediaType);
  }
}
