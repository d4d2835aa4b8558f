package dev.jbuild.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** An OCI image index or Docker manifest list. */
@JsonPropertyOrder({"schemaVersion", "mediaType", "manifests", "annotations"})
public record ImageIndex(
    @JsonProperty("schemaVersion") @JsonInclude(JsonInclude.Include.ALWAYS) int schemaVersion,
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("manifests") @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> manifests,
    @JsonProperty("annotations") Map<String, String> annotations) {

  public ImageIndex {
    manifests = manifests == null ? List.of() : List.copyOf(manifests);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public static ImageIndex of(List<Descriptor> manifests) {
    return new ImageIndex(2, MediaTypes.OCI_INDEX, manifests, Map.of());
  }

  public static ImageIndex parse(byte[] bytes) throws InvalidDocumentException {
    ImageIndex i = Json.read(bytes, ImageIndex.class);
    if (i.schemaVersion != 2) {
      throw new InvalidDocumentException("not a schema 2 image index");
    }
    return i;
  }

  public byte[] toBytes() {
    return Json.write(this);
  }
}
