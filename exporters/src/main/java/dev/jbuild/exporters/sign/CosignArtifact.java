package dev.jbuild.exporters.sign;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Json;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.registry.RegistryException;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * cosign's registry layout for what it attaches to an image: an OCI manifest tagged
 * {@code sha256-<hex of the image digest>.sig} (signatures) or {@code .att} (DSSE attestations),
 * whose layers are the signed payloads, so cosign-era tools and plain registries hold them.
 */
public final class CosignArtifact {
  /** One layer: its bytes, media type and annotations. */
  public record Layer(byte[] bytes, String mediaType, Map<String, String> annotations) {}

  private CosignArtifact() {}

  /** {@code sha256-<hex>.sig} / {@code .att} for the image with digest {@code image}. */
  public static String tag(Digest image, String suffix) {
    return image.algorithm() + "-" + image.hex() + "." + suffix;
  }

  /** Pushes the layers and a config, then the manifest under {@code tag}; every blob before the manifest. */
  public static Digest push(RegistryClient client, ImageReference repo, String tag, List<Layer> layers)
      throws RegistryException {
    List<Descriptor> descriptors = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    for (Layer l : layers) {
      Digest d = Digest.sha256(l.bytes());
      client.pushBlob(repo, d, l.bytes().length, () -> new ByteArrayInputStream(l.bytes()), Optional.empty());
      descriptors.add(Descriptor.of(l.mediaType(), d, l.bytes().length).withAnnotations(l.annotations()));
      diffIds.add(d.toString());
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", "");
    config.put("os", "");
    config.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
    byte[] configBytes = Json.write(config);
    Digest configDigest = Digest.sha256(configBytes);
    client.pushBlob(repo, configDigest, configBytes.length, () -> new ByteArrayInputStream(configBytes), Optional.empty());
    byte[] manifest = new Manifest(2, MediaTypes.OCI_MANIFEST,
        Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length), descriptors, Map.of()).toBytes();
    return client.pushManifest(repo, tag, manifest, MediaTypes.OCI_MANIFEST);
  }
}
