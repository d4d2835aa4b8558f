package dev.jbuild.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.exporters.attest.Provenance;
import dev.jbuild.exporters.attest.RegistryAttestations;
import dev.jbuild.exporters.attest.Sbom;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.InvalidDocumentException;
import dev.jbuild.oci.Json;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.registry.FetchedManifest;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.registry.RegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * buildx's {@code .Provenance} and {@code .SBOM} for {@code imagetools inspect --format}: the
 * predicate of each platform's statement under {@code SLSA} (provenance) or {@code SPDX} (SBOM);
 * for an index of several images a map from platform ({@code linux/arm64/v8}, as in
 * {@code .Image}) to that, for one image just that. A platform without the attestation is
 * {@code {}}, read from the registry with every digest verified.
 */
final class InspectAttestations {
  /** Which attestation, and the key buildx puts its predicate under. */
  enum Kind {
    PROVENANCE(Provenance.PREDICATE_TYPE, "SLSA"), SBOM(Sbom.PREDICATE_TYPE, "SPDX");

    final String predicateType;
    final String key;

    Kind(String predicateType, String key) {
      this.predicateType = predicateType;
      this.key = key;
    }
  }

  private InspectAttestations() {}

  static JsonNode read(RegistryClient registry, ImageReference ref, FetchedManifest root, Kind kind) {
    try {
      Map<String, String> platformOfImage = new LinkedHashMap<>(); // image manifest digest → platform
      if (MediaTypes.isIndex(root.mediaType())) {
        for (Descriptor d : ImageIndex.parse(root.bytes()).manifests()) {
          if (d.platform() != null && !"unknown".equals(d.platform().os())) {
            platformOfImage.put(d.digest(), ImagetoolsInspect.platform(d));
          }
        }
      }
      Map<String, ObjectNode> byPlatform = new LinkedHashMap<>();
      platformOfImage.values().forEach(p -> byPlatform.put(p, Json.MAPPER.createObjectNode()));
      List<RegistryAttestations.Found> found = platformOfImage.isEmpty() ? List.of()
          : RegistryAttestations.read(registry, ref.pinned(root.digest()));
      for (RegistryAttestations.Found f : found) {
        ObjectNode slot = byPlatform.get(platformOfImage.get(f.image().toString()));
        if (slot != null && kind.predicateType.equals(f.predicateType())) {
          slot.set(kind.key, Json.MAPPER.readTree(f.statement()).path("predicate"));
        }
      }
      if (byPlatform.size() == 1) {
        return byPlatform.values().iterator().next();
      }
      if (byPlatform.isEmpty()) {
        return Json.MAPPER.createObjectNode(); // a lone manifest has nowhere to list attestations
      }
      ObjectNode out = Json.MAPPER.createObjectNode();
      byPlatform.forEach(out::set);
      return out;
    } catch (RegistryException | InvalidDocumentException | IOException e) {
      throw new UncheckedIOException(new IOException(ref + ": " + e.getMessage(), e));
    }
  }
}
