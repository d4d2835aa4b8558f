package dev.jbuild.exporters;

import dev.jbuild.exporters.attest.Attestation;
import dev.jbuild.exporters.attest.Provenance;
import dev.jbuild.exporters.sign.CosignArtifact;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.progress.Progress;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.signing.Dsse;
import dev.jbuild.signing.Signer;
import dev.jbuild.signing.SimpleSigning;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A push followed by its signatures ({@code --sign key=PATH}), in cosign's layout: the pushed
 * root's digest signed as a simple-signing payload under {@code sha256-<hex>.sig}, and each
 * platform's provenance statement as a DSSE envelope under {@code sha256-<hex>.att}. Signatures
 * go up only after the image is complete in the registry; a failed push signs nothing.
 */
public final class SigningExporter implements Exporter {
  public static final String PREDICATE_TYPE_ANNOTATION = "predicateType";

  private final RegistryExporter push;
  private final RegistryClient client;
  private final Signer signer;

  public SigningExporter(RegistryExporter push, RegistryClient client, Signer signer) {
    this.push = push;
    this.client = client;
    this.signer = signer;
  }

  @Override
  public ExportResult export(ImageSet images, Progress progress) throws ExportException, InterruptedException {
    ExportResult pushed = push.export(images, progress);
    ImageSet set = Exporters.inFormat(images, push.format(), progress, "signing");
    Descriptor root = pushed.root().orElseThrow();
    Map<String, ImageReference> repositories = new LinkedHashMap<>();
    push.names().forEach(n -> repositories.putIfAbsent(n.repositoryName(), n));
    for (ImageReference repo : repositories.values()) {
      try {
        progress.step("signing " + repo.repositoryName() + "@" + root.digest() + " (" + signer.type().flagValue() + ")",
            step -> {
              Digest digest = root.digestValue();
              byte[] payload = SimpleSigning.payload(repo.repositoryName(), digest.toString());
              String signature = Base64.getEncoder().encodeToString(signer.sign(payload));
              CosignArtifact.push(client, repo, CosignArtifact.tag(digest, "sig"), List.of(new CosignArtifact.Layer(
                  payload, SimpleSigning.MEDIA_TYPE, Map.of(SimpleSigning.SIGNATURE_ANNOTATION, signature))));
              List<CosignArtifact.Layer> envelopes = provenanceEnvelopes(set);
              if (!envelopes.isEmpty()) {
                CosignArtifact.push(client, repo, CosignArtifact.tag(digest, "att"), envelopes);
              }
              step.status("signed: " + CosignArtifact.tag(digest, "sig")
                  + (envelopes.isEmpty() ? "" : ", " + CosignArtifact.tag(digest, "att")));
              return null;
            });
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        throw new ExportException("signing " + repo.repositoryName() + ": " + Exporters.describe(e), e);
      }
    }
    return pushed;
  }

  /** Every provenance statement of the set, each in a DSSE envelope signed with the key. */
  private List<CosignArtifact.Layer> provenanceEnvelopes(ImageSet set) throws Exception {
    List<CosignArtifact.Layer> out = new ArrayList<>();
    for (AttestationManifests.Entry a : set.attestations()) {
      for (Descriptor layer : a.layers()) {
        if (Provenance.PREDICATE_TYPE.equals(layer.annotations().get(Attestation.PREDICATE_ANNOTATION))) {
          byte[] statement = set.content().readAll(layer.digestValue());
          out.add(new CosignArtifact.Layer(Dsse.sign(signer, Dsse.IN_TOTO_PAYLOAD, statement), Dsse.MEDIA_TYPE,
              Map.of(PREDICATE_TYPE_ANNOTATION, Provenance.PREDICATE_TYPE)));
        }
      }
    }
    return out;
  }
}
