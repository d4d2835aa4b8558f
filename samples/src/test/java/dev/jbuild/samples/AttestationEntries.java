package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * BuildKit's layout of an attested index, checked exactly: the image manifests first, then one
 * attestation manifest per image, in the same order, with platform {@code unknown/unknown} and the
 * {@code vnd.docker.reference.*} annotations naming the image it is about.
 */
final class AttestationEntries {
  private AttestationEntries() {}

  /** Asserts the layout for {@code images} images and returns their entries, in index order. */
  static List<JsonNode> imagesThenAttestations(JsonNode index, int images) {
    JsonNode entries = index.get("manifests");
    assertEquals(2 * images, entries.size(), index.toString());
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      JsonNode image = entries.get(i);
      JsonNode attestation = entries.get(images + i);
      assertEquals("application/vnd.oci.image.manifest.v1+json", attestation.get("mediaType").asText());
      assertEquals("unknown/unknown", attestation.at("/platform/os").asText() + "/"
          + attestation.at("/platform/architecture").asText());
      assertEquals("attestation-manifest", attestation.at("/annotations/vnd.docker.reference.type").asText());
      assertEquals(image.get("digest").asText(), attestation.at("/annotations/vnd.docker.reference.digest").asText());
      out.add(image);
    }
    return out;
  }
}
