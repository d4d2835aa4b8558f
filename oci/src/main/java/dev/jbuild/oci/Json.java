package dev.jbuild.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * The one JSON mapper for image-spec documents: compact, map keys sorted, empty values left out,
 * unknown fields ignored on read. Documents written through it are byte-stable.
 *
 * <p>The image-spec records ({@link Manifest}, {@link ImageIndex}, {@link Descriptor},
 * {@link PlatformSpec}, {@link ImageConfig} and its parts) are read and written field by field
 * ({@code read}/{@code write} next to each record, run by {@link JsonFields}), not by Jackson's data
 * binding: binding a record type costs Jackson 10-50 ms of reflection the first time, in every
 * process, and a build reads and writes these documents on every run (≈ 100 ms of a no-op build,
 * docs/benchmarks.md). This mapper knows the same functions, so a record nested in other data
 * serialises the same way.
 */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      // empty values are left out, but not empty map contents: ExposedPorts is {"80/tcp":{}}
      .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.ALWAYS))
      .addModule(documents())
      .build();

  private Json() {}

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  private static SimpleModule documents() {
    SimpleModule m = new SimpleModule("image-spec documents");
    JsonFields.register(m, Descriptor.class, Descriptor::read, Descriptor::write);
    JsonFields.register(m, PlatformSpec.class, PlatformSpec::read, PlatformSpec::write);
    JsonFields.register(m, Manifest.class, Manifest::read, Manifest::write);
    JsonFields.register(m, ImageIndex.class, ImageIndex::read, ImageIndex::write);
    JsonFields.register(m, ImageConfig.class, ImageConfig::read, ImageConfig::write);
    JsonFields.register(m, ImageConfig.Container.class, ImageConfig::readContainer, ImageConfig::writeContainer);
    JsonFields.register(m, ImageConfig.RootFs.class, ImageConfig::readRootFs, ImageConfig::writeRootFs);
    JsonFields.register(m, ImageConfig.History.class, ImageConfig::readHistory, ImageConfig::writeHistory);
    JsonFields.register(m, ImageConfig.Healthcheck.class, ImageConfig::readHealthcheck, ImageConfig::writeHealthcheck);
    return m;
  }
}
