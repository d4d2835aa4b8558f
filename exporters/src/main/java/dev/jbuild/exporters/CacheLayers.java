package dev.jbuild.exporters;

import dev.jbuild.cache.CacheKey;
import dev.jbuild.cache.CacheRecord;
import dev.jbuild.cache.ContentStore;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Layer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Cache records as a cache export carries them: the store keeps layers as built (uncompressed
 * until an export needs them otherwise), an export sends them in the compression asked for
 * ({@code --cache-to …,compression=}), converted once and remembered like image exports' layers.
 */
public final class CacheLayers {
  private CacheLayers() {}

  public static Map<CacheKey, CacheRecord> compressed(Map<CacheKey, CacheRecord> records, ContentStore content,
      Compression compression) throws IOException, InterruptedException {
    List<Layer> layers = new ArrayList<>();
    for (CacheRecord r : records.values()) {
      for (CacheRecord.LayerRecord l : r.layers()) {
        layers.add(new Layer(new Descriptor(l.mediaType(), l.digest(), l.size(), Map.of(), null), Digest.parse(l.diffId())));
      }
    }
    ImageFormat format = new ImageFormat(compression, OptionalInt.empty(), false, true, Annotations.NONE);
    Map<Digest, Descriptor> converted = new LayerConverter(content).convertAll(layers, format);
    Map<CacheKey, CacheRecord> out = new LinkedHashMap<>();
    for (Map.Entry<CacheKey, CacheRecord> e : records.entrySet()) {
      List<CacheRecord.LayerRecord> ls = new ArrayList<>();
      for (CacheRecord.LayerRecord l : e.getValue().layers()) {
        Descriptor d = converted.get(Digest.parse(l.digest()));
        String mediaType = d.digest().equals(l.digest()) ? l.mediaType() : compression.layerMediaType(true);
        ls.add(new CacheRecord.LayerRecord(mediaType, d.digest(), d.size(), l.diffId()));
      }
      out.put(e.getKey(), new CacheRecord(ls, e.getValue().addedLayer(), e.getValue().createdAt()));
    }
    return out;
  }
}
