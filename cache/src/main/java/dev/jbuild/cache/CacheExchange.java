package dev.jbuild.cache;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cache export format: an OCI image manifest (so any OCI registry or layout holds it) whose
 * config is a JSON document of cache records by key and whose layers are every blob those
 * records name. Cache keys embed their platform, so one export holds every platform of a build.
 */
public final class CacheExchange {
  public static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  public static final String ARTIFACT_TYPE = "application/vnd.jbuild.cache.v1";
  public static final String CONFIG_TYPE = "application/vnd.jbuild.cache.config.v1+json";
  private static final int MAX_CONFIG_BYTES = 64 << 20;

  private CacheExchange() {}

  /** What an export wrote. */
  public record Exported(Digest manifest, int records, int blobs, int blobsUploaded) {}

  /** What an export holds: cache records, and {@code RUN --mount=type=cache} contents by cache id (opt-in). */
  public record Loaded(Map<CacheKey, CacheRecord> records, Map<String, CacheRecord.LayerRecord> mounts) {}

  /** Writes {@code records} and the blobs they name to {@code target}, replacing its root manifest. */
  public static Exported export(CacheTarget target, Map<CacheKey, CacheRecord> records, ContentStore content)
      throws IOException {
    return export(target, records, Map.of(), content);
  }

  /** The same, with cache mount contents (tars by cache id) travelling as blobs too. */
  public static Exported export(CacheTarget target, Map<CacheKey, CacheRecord> records,
      Map<String, CacheRecord.LayerRecord> mounts, ContentStore content) throws IOException {
    Map<String, CacheRecord> byKey = new TreeMap<>();
    Map<String, CacheRecord.LayerRecord> blobs = new TreeMap<>();
    for (CacheRecord.LayerRecord m : mounts.values()) {
      blobs.putIfAbsent(m.digest(), m);
    }
    for (Map.Entry<CacheKey, CacheRecord> e : records.entrySet()) {
      byKey.put(e.getKey().toString(), e.getValue());
      for (CacheRecord.LayerRecord l : e.getValue().layers()) {
        blobs.putIfAbsent(l.digest(), l);
      }
    }
    int uploaded = 0;
    for (CacheRecord.LayerRecord l : blobs.values()) {
      Digest d = Digest.parse(l.digest());
      if (!target.hasBlob(d)) {
        target.putBlob(d, l.size(), l.mediaType(), content);
        uploaded++;
      }
    }
    ObjectNode config = CacheJson.MAPPER.createObjectNode();
    config.set("records", CacheJson.MAPPER.valueToTree(byKey));
    if (!mounts.isEmpty()) {
      config.set("mounts", CacheJson.MAPPER.valueToTree(new TreeMap<>(mounts)));
    }
    byte[] configBytes = CacheJson.MAPPER.writeValueAsBytes(config);
    Digest configDigest = content.put(configBytes);
    target.putBlob(configDigest, configBytes.length, CONFIG_TYPE, content);

    ObjectNode manifest = CacheJson.MAPPER.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST_TYPE);
    manifest.put("artifactType", ARTIFACT_TYPE);
    manifest.set("config", descriptor(CONFIG_TYPE, configDigest, configBytes.length));
    ArrayNode layers = manifest.putArray("layers");
    for (CacheRecord.LayerRecord l : blobs.values()) {
      layers.add(descriptor(l.mediaType(), Digest.parse(l.digest()), l.size()));
    }
    byte[] manifestBytes = CacheJson.MAPPER.writeValueAsBytes(manifest);
    target.putManifest(manifestBytes);
    return new Exported(Digest.sha256(manifestBytes), byKey.size(), blobs.size(), uploaded);
  }

  private static ObjectNode descriptor(String mediaType, Digest digest, long size) {
    ObjectNode d = CacheJson.MAPPER.createObjectNode();
    d.put("mediaType", mediaType);
    d.put("digest", digest.toString());
    d.put("size", size);
    return d;
  }

  /**
   * Reads an export's records. The config is checked against the digest the manifest gives it;
   * blobs are checked when a record is used ({@link BuildRecords}).
   *
   * @return empty records when nothing was exported there yet
   * @throws CorruptContentException when the manifest or config is not what it claims to be
   */
  public static Map<CacheKey, CacheRecord> load(CacheTarget target) throws IOException {
    return loadAll(target).records();
  }

  /** Records and cache mounts; see {@link #load}. */
  public static Loaded loadAll(CacheTarget target) throws IOException {
    var bytes = target.manifest();
    if (bytes.isEmpty()) {
      return new Loaded(Map.of(), Map.of());
    }
    JsonNode manifest;
    try {
      manifest = CacheJson.MAPPER.readTree(bytes.get());
    } catch (IOException e) {
      throw new CorruptContentException(target.describe() + ": the cache manifest is not JSON");
    }
    JsonNode config = manifest.path("config");
    if (!CONFIG_TYPE.equals(config.path("mediaType").asText())) {
      throw new CorruptContentException(target.describe() + ": not a jbuild cache export (its config is "
          + config.path("mediaType").asText("missing") + ", expected " + CONFIG_TYPE + ")");
    }
    Digest digest;
    try {
      digest = Digest.parse(config.path("digest").asText());
    } catch (IllegalArgumentException e) {
      throw new CorruptContentException(target.describe() + ": the cache manifest names no valid config digest");
    }
    byte[] configBytes;
    try (var in = target.openBlob(digest)) {
      configBytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
    }
    if (configBytes.length > MAX_CONFIG_BYTES || !Digest.sha256(configBytes).equals(digest)) {
      throw new CorruptContentException(target.describe() + ": the cache config does not match its digest " + digest);
    }
    Map<String, CacheRecord> byKey;
    Map<String, CacheRecord.LayerRecord> mounts;
    try {
      JsonNode tree = CacheJson.MAPPER.readTree(configBytes);
      byKey = CacheJson.MAPPER.convertValue(tree.path("records"), new TypeReference<TreeMap<String, CacheRecord>>() {});
      mounts = tree.has("mounts") ? CacheJson.MAPPER.convertValue(tree.get("mounts"),
          new TypeReference<TreeMap<String, CacheRecord.LayerRecord>>() {}) : Map.of();
    } catch (IOException | IllegalArgumentException e) {
      throw new CorruptContentException(target.describe() + ": the cache config is not valid: " + e.getMessage());
    }
    Map<CacheKey, CacheRecord> out = new LinkedHashMap<>();
    if (byKey != null) {
      for (Map.Entry<String, CacheRecord> e : byKey.entrySet()) {
        try {
          out.put(new CacheKey(Digest.parse(e.getKey())), e.getValue());
        } catch (IllegalArgumentException ignored) {
          // a malformed key can never match one the solver computes
        }
      }
    }
    return new Loaded(out, mounts);
  }

  /** Records whose layer chain is a prefix of one of {@code images}' layer lists (BuildKit's mode=min: the final stages). */
  public static Map<CacheKey, CacheRecord> minimal(Map<CacheKey, CacheRecord> used, List<List<String>> imageLayerDigests) {
    Map<CacheKey, CacheRecord> out = new LinkedHashMap<>();
    for (Map.Entry<CacheKey, CacheRecord> e : used.entrySet()) {
      List<String> chain = e.getValue().layers().stream().map(CacheRecord.LayerRecord::digest).toList();
      for (List<String> image : imageLayerDigests) {
        if (chain.size() <= image.size() && image.subList(0, chain.size()).equals(chain)) {
          out.put(e.getKey(), e.getValue());
          break;
        }
      }
    }
    return out;
  }
}
