package dev.jbuild.registry;

import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Manifest;

/**
 * An image resolved for one platform.
 *
 * @param ref            the resolved, pinned reference ({@code repository@manifestDigest})
 * @param manifestDigest the digest of the platform's image manifest (not of the index)
 * @param manifest       that manifest's exact bytes
 * @param configBytes    the config blob's exact bytes (verified against the manifest)
 */
public record ResolvedImage(ImageReference ref, Digest manifestDigest, FetchedManifest manifest,
                            Manifest parsedManifest, byte[] configBytes, ImageConfig config) {
  public ResolvedImage {
    configBytes = configBytes.clone();
  }

  @Override
  public byte[] configBytes() {
    return configBytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResolvedImage r && ref.equals(r.ref) && manifest.equals(r.manifest);
  }

  @Override
  public int hashCode() {
    return manifestDigest.hashCode();
  }

  @Override
  public String toString() {
    return "ResolvedImage[" + ref + "]";
  }
}
