package dev.jbuild.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.jbuild.oci.JsonFields;

/**
 * The mapper for cache exports (inline, registry and local caches), where cache records sit inside
 * other documents. Its own class so that a build that exports no cache never initialises an
 * ObjectMapper for the records it reads and writes (see {@link dev.jbuild.oci.JsonTrees}).
 */
final class CacheJson {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).addModule(records()).build();

  private CacheJson() {}

  /** Cache records inside other documents in the same form as on disk. */
  private static SimpleModule records() {
    SimpleModule m = new SimpleModule("cache records");
    JsonFields.register(m, CacheRecord.class, CacheRecord::read, CacheRecord::write);
    return m;
  }
}
