package dev.jbuild.cache;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --cache-to type=inline}: cache records carried in the image config itself (mode=min).
 * A record names no blobs, only how many of the image's own layers its chain is, so the pushed
 * image is the whole export; its created time is the image history's for that layer, so the
 * payload holds no clock time and SOURCE_DATE_EPOCH builds stay byte-identical across stores.
 * Base64 of canonical JSON (records sorted by key), as BuildKit stores its own inline cache.
 */
public final class InlineCache {
  private InlineCache() {}

  /** One record: the first {@code layers} layers of the image are its chain. */
  record Entry(@JsonProperty("layers") int layers, @JsonProperty("addedLayer") boolean addedLayer) {}

  /** The payload for an image whose layers have {@code diffIds}: every used record whose chain is a prefix of them. */
  public static String encode(Map<CacheKey, CacheRecord> used, List<String> diffIds) {
    Map<String, Entry> entries = new TreeMap<>();
    for (Map.Entry<CacheKey, CacheRecord> e : used.entrySet()) {
      List<String> chain = e.getValue().layers().stream().map(CacheRecord.LayerRecord::diffId).toList();
      if (chain.size() <= diffIds.size() && diffIds.subList(0, chain.size()).equals(chain)) {
        entries.put(e.getKey().toString(), new Entry(chain.size(), e.getValue().addedLayer()));
      }
    }
    try {
      byte[] json = CacheJson.MAPPER.writeValueAsBytes(Map.of("records", entries));
      return Base64.getEncoder().encodeToString(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The records an image carries, their layers being the manifest's (blobs in the image's
   * repository) with the config's diff ids; an image without inline cache has none.
   *
   * @throws CorruptContentException when the payload or the image does not add up
   */
  public static Map<CacheKey, CacheRecord> decode(ImageConfig config, Manifest manifest, String where)
      throws CorruptContentException {
    if (config.inlineCache() == null) {
      return Map.of();
    }
    List<String> diffIds = config.rootfs().diffIds();
    List<Descriptor> blobs = manifest.layers();
    if (diffIds.size() != blobs.size()) {
      throw new CorruptContentException(where + ": the manifest has " + blobs.size() + " layers but the config "
          + diffIds.size() + " diff ids");
    }
    Map<String, Entry> entries;
    try {
      byte[] json = Base64.getDecoder().decode(config.inlineCache());
      entries = CacheJson.MAPPER.convertValue(CacheJson.MAPPER.readTree(json).path("records"),
          new TypeReference<TreeMap<String, Entry>>() {});
    } catch (IOException | IllegalArgumentException e) {
      throw new CorruptContentException(where + ": the inline cache is not valid: " + e.getMessage());
    }
    List<String> created = layerTimes(config);
    Map<CacheKey, CacheRecord> out = new LinkedHashMap<>();
    for (Map.Entry<String, Entry> e : entries == null ? Map.<String, Entry>of().entrySet() : entries.entrySet()) {
      int n = e.getValue().layers();
      CacheKey key;
      try {
        key = new CacheKey(Digest.parse(e.getKey()));
      } catch (IllegalArgumentException ignored) {
        continue; // a malformed key can never match one the solver computes
      }
      if (n < 0 || n > blobs.size()) {
        throw new CorruptContentException(where + ": the inline cache names " + n + " layers of an image that has "
            + blobs.size());
      }
      List<CacheRecord.LayerRecord> layers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Descriptor d = blobs.get(i);
        layers.add(new CacheRecord.LayerRecord(d.mediaType(), d.digest(), d.size(), diffIds.get(i)));
      }
      String createdAt = n > 0 && created != null && e.getValue().addedLayer() ? instant(created.get(n - 1)) : null;
      out.put(key, new CacheRecord(layers, e.getValue().addedLayer(), createdAt));
    }
    return out;
  }

  /** Records keep instants in {@link java.time.Instant#toString()} form; other forms are dropped. */
  private static String instant(String t) {
    try {
      return t == null ? null : java.time.OffsetDateTime.parse(t).toInstant().toString();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** The created time of each layer (from the history entries that are not empty layers), or null if they do not add up. */
  private static List<String> layerTimes(ImageConfig config) {
    List<String> out = new ArrayList<>();
    for (ImageConfig.History h : config.history()) {
      if (!Boolean.TRUE.equals(h.emptyLayer())) {
        out.add(h.created());
      }
    }
    return out.size() == config.rootfs().diffIds().size() ? out : null;
  }
}
