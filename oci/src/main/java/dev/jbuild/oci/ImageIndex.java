package dev.jbuild.oci;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** An OCI image index or Docker manifest list. */
public record ImageIndex(int schemaVersion, String mediaType, List<Descriptor> manifests, Map<String, String> annotations) {

  public ImageIndex {
    manifests = manifests == null ? List.of() : List.copyOf(manifests);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public static ImageIndex of(List<Descriptor> manifests) {
    return new ImageIndex(2, MediaTypes.OCI_INDEX, manifests, Map.of());
  }

  public static ImageIndex parse(byte[] bytes) throws InvalidDocumentException {
    ImageIndex i = JsonFields.read(bytes, "ImageIndex", ImageIndex::read);
    if (i.schemaVersion != 2) {
      throw new InvalidDocumentException("not a schema 2 image index");
    }
    return i;
  }

  public byte[] toBytes() {
    return JsonFields.write(this, ImageIndex::write);
  }

  static ImageIndex read(JsonFields.In in) throws InvalidDocumentException {
    return new ImageIndex(in.integer("schemaVersion"), in.string("mediaType"), in.objects("manifests", Descriptor::read),
        in.stringMap("annotations"));
  }

  static void write(JsonFields.Out out, ImageIndex i) throws IOException {
    out.number("schemaVersion", i.schemaVersion);
    out.stringUnlessEmpty("mediaType", i.mediaType);
    out.objects("manifests", i.manifests, Descriptor::write);
    out.mapUnlessEmpty("annotations", i.annotations);
  }
}
