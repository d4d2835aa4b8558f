package dev.jbuild.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inline cache records: only the image's own chain is carried, and they come back with the pushed layers. */
class InlineCacheTest {
  private static final String GZ = "application/vnd.oci.image.layer.v1.tar+gzip";

  private static String d(String s) {
    return Digest.sha256(s.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static CacheKey key(String s) {
    return new CacheKey(Digest.parse(d("key " + s)));
  }

  private static CacheRecord.LayerRecord stored(String name) {
    return new CacheRecord.LayerRecord("application/vnd.oci.image.layer.v1.tar", d("tar " + name), 100, d("diff " + name));
  }

  private static final ImageConfig.History BASE = new ImageConfig.History("2023-01-01T00:00:00Z", "base", null, null, null);
  private static final ImageConfig.History ENV = new ImageConfig.History("2023-06-01T00:00:00Z", "ENV A=1", null, null, true);
  private static final ImageConfig.History COPY = new ImageConfig.History("2023-11-14T22:13:20Z", "COPY a /", null, null, null);

  @Test
  void carriesTheImageChainAndComesBackWithThePushedLayers() throws Exception {
    Map<CacheKey, CacheRecord> used = new LinkedHashMap<>();
    used.put(key("from"), new CacheRecord(List.of(stored("base")), false, null));
    used.put(key("copy"), new CacheRecord(List.of(stored("base"), stored("copy")), true, "2026-12-01T10:00:00Z"));
    used.put(key("builder"), new CacheRecord(List.of(stored("other")), true, "2026-12-01T10:00:00Z"));
    List<String> diffIds = List.of(d("diff base"), d("diff copy"));

    String payload = InlineCache.encode(used, diffIds);
    String json = new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8);
    Map<String, String> byKey = new java.util.TreeMap<>(Map.of(key("from").toString(), "{\"layers\":1,\"addedLayer\":false}",
        key("copy").toString(), "{\"layers\":2,\"addedLayer\":true}"));
    StringBuilder expected = new StringBuilder("{\"records\":{");
    byKey.forEach((k, v) -> expected.append('"').append(k).append("\":").append(v).append(','));
    expected.setLength(expected.length() - 1);
    assertEquals(expected + "}}", json, "no clock time, no blob digests, sorted by key; the builder record stays out");

    ImageConfig config = new ImageConfig(null, null, "amd64", "linux", null, null,
        new ImageConfig.RootFs("layers", diffIds), List.of(BASE, ENV, COPY)).withInlineCache(payload);
    Manifest manifest = new Manifest(2, "application/vnd.oci.image.manifest.v1+json",
        Descriptor.of("application/vnd.oci.image.config.v1+json", Digest.sha256(config.toBytes()), 10),
        List.of(Descriptor.of(GZ, Digest.parse(d("gz base")), 50), Descriptor.of(GZ, Digest.parse(d("gz copy")), 60)), null);
    // the key survives a round trip through the config's JSON
    ImageConfig parsed = ImageConfig.parse(config.toBytes());
    assertEquals(payload, parsed.inlineCache());

    Map<CacheKey, CacheRecord> back = InlineCache.decode(parsed, manifest, "test");
    CacheRecord.LayerRecord base = new CacheRecord.LayerRecord(GZ, d("gz base"), 50, d("diff base"));
    CacheRecord.LayerRecord copy = new CacheRecord.LayerRecord(GZ, d("gz copy"), 60, d("diff copy"));
    assertEquals(Map.of(key("from"), new CacheRecord(List.of(base), false, null),
        key("copy"), new CacheRecord(List.of(base, copy), true, "2023-11-14T22:13:20Z")), back);
  }

  @Test
  void aPayloadNamingMoreLayersThanTheImageHasIsRefused() throws Exception {
    List<String> diffIds = List.of(d("diff base"));
    String payload = Base64.getEncoder().encodeToString(("{\"records\":{\"" + key("x") + "\":{\"layers\":2,"
        + "\"addedLayer\":true}}}").getBytes(StandardCharsets.UTF_8));
    ImageConfig config = new ImageConfig(null, null, "amd64", "linux", null, null,
        new ImageConfig.RootFs("layers", diffIds), List.of(BASE)).withInlineCache(payload);
    Manifest manifest = new Manifest(2, null, Descriptor.of("application/vnd.oci.image.config.v1+json",
        Digest.sha256(config.toBytes()), 10), List.of(Descriptor.of(GZ, Digest.parse(d("gz base")), 50)), null);
    CorruptContentException e = assertThrows(CorruptContentException.class, () -> InlineCache.decode(config, manifest, "img"));
    assertEquals("img: the inline cache names 2 layers of an image that has 1", e.getMessage());
    assertEquals(Map.of(), InlineCache.decode(config.withInlineCache(null), manifest, "img"), "no inline cache, no records");
  }
}
