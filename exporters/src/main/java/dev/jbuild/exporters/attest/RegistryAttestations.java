package dev.jbuild.exporters.attest;

import dev.jbuild.exporters.AttestationManifests;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.InvalidDocumentException;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.platform.Platform;
import dev.jbuild.registry.FetchedManifest;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.registry.RegistryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the attestations attached to a pushed image (BuildKit's layout), verifying every digest. */
public final class RegistryAttestations {
  /** Statements are small; anything bigger is not one of ours. */
  private static final long MAX_STATEMENT_BYTES = 64L << 20;

  /**
   * One statement found.
   *
   * @param image the digest of the platform manifest it is about
   */
  public record Found(Platform platform, Digest image, String predicateType, byte[] statement) {}

  private RegistryAttestations() {}

  /** The index's digest and every statement attached to its platforms, in index order. */
  public static List<Found> read(RegistryClient client, ImageReference ref) throws RegistryException,
      InvalidDocumentException {
    FetchedManifest root = client.fetchManifest(ref);
    if (!MediaTypes.isIndex(root.mediaType())) {
      return List.of(); // a lone manifest has nowhere to list attestations
    }
    ImageIndex index = ImageIndex.parse(root.bytes());
    Map<String, Platform> platforms = new HashMap<>();
    for (Descriptor d : index.manifests()) {
      if (d.platform() != null && !"unknown".equals(d.platform().os())) {
        platforms.put(d.digest(), d.platform().toPlatform());
      }
    }
    List<Found> out = new ArrayList<>();
    for (Descriptor d : index.manifests()) {
      if (!AttestationManifests.ATTESTATION_MANIFEST.equals(d.annotations().get(AttestationManifests.REFERENCE_TYPE))) {
        continue;
      }
      String subject = d.annotations().getOrDefault(AttestationManifests.REFERENCE_DIGEST, "");
      Platform platform = platforms.get(subject);
      if (platform == null) {
        throw new InvalidDocumentException("attestation manifest " + d.digest() + " refers to " + subject
            + ", which is not an image in the index");
      }
      FetchedManifest fetched = client.fetchManifest(ref.pinned(d.digestValue()));
      Manifest m = Manifest.parse(fetched.bytes());
      for (Descriptor layer : m.layers()) {
        if (!Attestation.MEDIA_TYPE.equals(layer.mediaType())) {
          continue;
        }
        byte[] statement = client.fetchBlobBytes(ref, layer.digestValue(), MAX_STATEMENT_BYTES);
        out.add(new Found(platform, Digest.parse(subject),
            layer.annotations().getOrDefault(Attestation.PREDICATE_ANNOTATION, ""), statement));
      }
    }
    return out;
  }
}
