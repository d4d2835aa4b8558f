package dev.jbuild.exporters;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.exporters.attest.Attestation;
import dev.jbuild.exporters.attest.AttestedImage;
import dev.jbuild.exporters.attest.Attestor;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Json;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.oci.PlatformSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attestations laid out as BuildKit does, so docker, buildx and cosign-era tools find them: per
 * platform an OCI manifest whose layers are the in-toto statements, listed in the index with
 * platform {@code unknown/unknown} and the {@code vnd.docker.reference.*} annotations naming the
 * image manifest it is about. Outputs with Docker media types get none, as with buildx.
 */
public final class AttestationManifests {
  public static final String REFERENCE_TYPE = "vnd.docker.reference.type";
  public static final String REFERENCE_DIGEST = "vnd.docker.reference.digest";
  public static final String ATTESTATION_MANIFEST = "attestation-manifest";

  /** One attestation manifest: its index entry, config and statement layers. */
  public record Entry(Descriptor manifest, Descriptor config, List<Descriptor> layers) {
    public Entry {
      layers = List.copyOf(layers);
    }
  }

  private AttestationManifests() {}

  static List<Entry> create(List<ImageSet.PlatformImage> images, ContentStore content, ImageFormat format,
      Attestor attestor) throws IOException {
    if (!format.ociMediaTypes()) {
      return List.of(); // as buildx: Docker media types (docker archives) carry no attestations
    }
    List<Entry> out = new ArrayList<>();
    for (ImageSet.PlatformImage img : images) {
      List<Attestation> statements = attestor.attest(
          new AttestedImage(img.result().platform(), img.manifest(), img.layers(), content));
      if (statements.isEmpty()) {
        continue;
      }
      List<Descriptor> layers = new ArrayList<>();
      List<String> diffIds = new ArrayList<>();
      for (Attestation a : statements) {
        Digest d = content.put(a.statement());
        layers.add(Descriptor.of(Attestation.MEDIA_TYPE, d, a.statement().length)
            .withAnnotations(Map.of(Attestation.PREDICATE_ANNOTATION, a.predicateType())));
        diffIds.add(d.toString());
      }
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("architecture", "unknown");
      config.put("os", "unknown");
      config.put("config", Map.of());
      config.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
      byte[] configBytes = Json.write(config);
      Descriptor configDesc = Descriptor.of(MediaTypes.OCI_CONFIG, content.put(configBytes), configBytes.length);
      byte[] manifestBytes = new Manifest(2, MediaTypes.OCI_MANIFEST, configDesc, layers, Map.of()).toBytes();
      Descriptor manifest = Descriptor.of(MediaTypes.OCI_MANIFEST, content.put(manifestBytes), manifestBytes.length)
          .withAnnotations(Map.of(REFERENCE_DIGEST, img.manifest().digest(), REFERENCE_TYPE, ATTESTATION_MANIFEST))
          .withPlatform(new PlatformSpec("unknown", "unknown", null));
      out.add(new Entry(manifest, configDesc, layers));
    }
    return out;
  }
}
