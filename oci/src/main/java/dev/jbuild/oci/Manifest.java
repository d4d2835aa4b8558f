package dev.jbuild.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** An image manifest (OCI or Docker schema 2; the fields are the same). */
@JsonPropertyOrder({"schemaVersion", "mediaType", "config", "layers", "annotations"})
public record Manifest(
    @JsonProperty("schemaVersion") @JsonInclude(JsonInclude.Include.ALWAYS) int schemaVersion,
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("config") Descriptor config,
    @JsonProperty("layers") @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> layers,
    @JsonProperty("annotations") Map<String, String> annotations) {

  public Manifest {
    layers = layers == null ? List.of() : List.copyOf(layers);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public static Manifest parse(byte[] bytes) throws InvalidDocumentException {
    Manifest m = Json.read(bytes, Manifest.class);
    if (m.schemaVersion != 2 || m.config == null) {
      throw new InvalidDocumentException("not a schema 2 image manifest");
    }
    return m;
  }

  /** The canonical bytes jbuild writes for this manifest. */
  public byte[] toBytes() {
    return Json.write(this);
  }
}
