package dev.jbuild.exporters.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.InvalidDocumentException;
import dev.jbuild.oci.Json;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.registry.FetchedManifest;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.registry.RegistryException;
import dev.jbuild.signing.Dsse;
import dev.jbuild.signing.SigningException;
import dev.jbuild.signing.SimpleSigning;
import dev.jbuild.signing.Verifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code jbuild verify}: the image a reference names now must carry a signature by the key over
 * exactly its digest and repository, and every signed attestation must verify with the key and be
 * about a manifest of that image. Anything else is a {@link SigningException} saying what failed.
 */
public final class SignatureCheck {
  private static final long MAX_PAYLOAD_BYTES = 16L << 20;

  /**
   * What was verified.
   *
   * @param predicateTypes of the attestations whose DSSE signatures verified, in order
   */
  public record Verified(ImageReference image, Digest digest, int signatures, List<String> predicateTypes) {}

  private SignatureCheck() {}

  public static Verified verify(RegistryClient client, ImageReference ref, Verifier key)
      throws SigningException, RegistryException, InvalidDocumentException {
    FetchedManifest root = client.fetchManifest(ref);
    Digest digest = root.digest();
    ImageReference repo = ref.pinned(digest);
    String sigTag = CosignArtifact.tag(digest, "sig");
    Manifest sigs = artifact(client, ref, sigTag).orElseThrow(() -> new SigningException(ref.repositoryName() + "@"
        + digest + " is not signed (no " + sigTag + " in the repository)"));
    int valid = 0;
    List<String> problems = new ArrayList<>();
    for (Descriptor layer : sigs.layers()) {
      if (!SimpleSigning.MEDIA_TYPE.equals(layer.mediaType())) {
        continue;
      }
      byte[] payload = client.fetchBlobBytes(repo, layer.digestValue(), MAX_PAYLOAD_BYTES);
      byte[] signature;
      try {
        signature = Base64.getDecoder().decode(layer.annotations().getOrDefault(SimpleSigning.SIGNATURE_ANNOTATION, ""));
      } catch (IllegalArgumentException e) {
        problems.add("a signature is not base64");
        continue;
      }
      if (!key.verify(payload, signature)) {
        problems.add("a signature does not match the key");
        continue;
      }
      SimpleSigning.Claim claim = SimpleSigning.parse(payload);
      if (!claim.manifestDigest().equals(digest.toString())) {
        problems.add("a signature is for " + claim.manifestDigest() + ", not this image");
      } else if (!claim.dockerReference().equals(ref.repositoryName())) {
        problems.add("a signature is for the repository " + claim.dockerReference() + ", not " + ref.repositoryName());
      } else {
        valid++;
      }
    }
    if (valid == 0) {
      throw new SigningException(ref.repositoryName() + "@" + digest + ": no valid signature"
          + (problems.isEmpty() ? " (" + sigTag + " holds no signature)" : ": " + String.join("; ", problems)));
    }
    return new Verified(ref, digest, valid, attestations(client, ref, repo, root, key));
  }

  /** The signed attestations' predicate types; fails on any envelope that does not verify or is about another image. */
  private static List<String> attestations(RegistryClient client, ImageReference ref, ImageReference repo,
      FetchedManifest root, Verifier key) throws SigningException, RegistryException, InvalidDocumentException {
    String attTag = CosignArtifact.tag(root.digest(), "att");
    var att = artifact(client, ref, attTag);
    if (att.isEmpty()) {
      return List.of();
    }
    Set<String> images = new HashSet<>(Set.of(root.digest().toString()));
    if (MediaTypes.isIndex(root.mediaType())) {
      ImageIndex.parse(root.bytes()).manifests().forEach(d -> images.add(d.digest()));
    }
    List<String> types = new ArrayList<>();
    for (Descriptor layer : att.get().layers()) {
      if (!Dsse.MEDIA_TYPE.equals(layer.mediaType())) {
        continue;
      }
      byte[] envelope = client.fetchBlobBytes(repo, layer.digestValue(), MAX_PAYLOAD_BYTES);
      byte[] statement;
      try {
        statement = Dsse.open(key, envelope, Dsse.IN_TOTO_PAYLOAD);
      } catch (SigningException e) {
        throw new SigningException(attTag + ": " + e.getMessage());
      }
      JsonNode s;
      try {
        s = Json.MAPPER.readTree(statement);
      } catch (IOException e) {
        throw new SigningException(attTag + ": the signed statement is not JSON");
      }
      for (JsonNode subject : s.path("subject")) {
        String d = "sha256:" + subject.path("digest").path("sha256").asText("");
        if (!images.contains(d)) {
          throw new SigningException(attTag + ": a signed statement is about " + d + ", which is not part of this image");
        }
      }
      types.add(s.path("predicateType").asText(""));
    }
    return types;
  }

  private static java.util.Optional<Manifest> artifact(RegistryClient client, ImageReference ref, String tag)
      throws RegistryException, InvalidDocumentException {
    FetchedManifest m;
    try {
      m = client.fetchManifest(new ImageReference(ref.registry(), ref.repository(), java.util.Optional.of(tag),
          java.util.Optional.empty()));
    } catch (RegistryException e) {
      if (e.kind() == RegistryException.Kind.NOT_FOUND) {
        return java.util.Optional.empty();
      }
      throw e;
    }
    return java.util.Optional.of(Manifest.parse(m.bytes()));
  }
}
