package dev.jbuild.cache;

import dev.jbuild.oci.InvalidDocumentException;
import dev.jbuild.oci.JsonFields;
import java.io.IOException;
import java.util.List;

/**
 * What a cached operation produced: the full layer chain of its resulting filesystem (base
 * layers first), and whether the operation itself added the last layer.
 *
 * @param createdAt when the last added layer was first built (RFC 3339), reused for history
 *     entries so that a cached rebuild yields the same image config
 */
public record CacheRecord(List<LayerRecord> layers, boolean addedLayer, String createdAt) {

  public CacheRecord {
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  /** One layer: its compressed blob and its uncompressed diff id. */
  public record LayerRecord(String mediaType, String digest, long size, String diffId) {}

  // JSON, read and written field by field (see dev.jbuild.oci.Json for why): nulls are kept

  static CacheRecord read(JsonFields.In in) throws InvalidDocumentException {
    Boolean added = in.bool("addedLayer");
    return new CacheRecord(in.objects("layers", CacheRecord::readLayer), added != null && added, in.string("createdAt"));
  }

  static void write(JsonFields.Out out, CacheRecord r) throws IOException {
    out.objects("layers", r.layers, CacheRecord::writeLayer);
    out.bool("addedLayer", r.addedLayer);
    out.stringAlways("createdAt", r.createdAt);
  }

  private static LayerRecord readLayer(JsonFields.In in) throws InvalidDocumentException {
    return new LayerRecord(in.string("mediaType"), in.string("digest"), in.longValue("size"), in.string("diffId"));
  }

  private static void writeLayer(JsonFields.Out out, LayerRecord l) throws IOException {
    out.stringAlways("mediaType", l.mediaType);
    out.stringAlways("digest", l.digest);
    out.number("size", l.size);
    out.stringAlways("diffId", l.diffId);
  }
}
