package dev.jbuild.oci;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** An image manifest (OCI or Docker schema 2; the fields are the same). */
public record Manifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers,
    Map<String, String> annotations) {

  public Manifest {
    layers = layers == null ? List.of() : List.copyOf(layers);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public static Manifest parse(byte[] bytes) throws InvalidDocumentException {
    Manifest m = JsonFields.read(bytes, "Manifest", Manifest::read);
    if (m.schemaVersion != 2 || m.config == null) {
      throw new InvalidDocumentException("not a schema 2 image manifest");
    }
    return m;
  }

  /** The canonical bytes jbuild writes for this manifest. */
  public byte[] toBytes() {
    return JsonFields.write(this, Manifest::write);
  }

  static Manifest read(JsonFields.In in) throws InvalidDocumentException {
    return new Manifest(in.integer("schemaVersion"), in.string("mediaType"), in.object("config", Descriptor::read),
        in.objects("layers", Descriptor::read), in.stringMap("annotations"));
  }

  static void write(JsonFields.Out out, Manifest m) throws IOException {
    out.number("schemaVersion", m.schemaVersion);
    out.stringUnlessEmpty("mediaType", m.mediaType);
    out.objectUnlessNull("config", m.config, Descriptor::write);
    out.objects("layers", m.layers, Descriptor::write);
    out.mapUnlessEmpty("annotations", m.annotations);
  }
}
