package dev.jbuild.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON mapper for image-spec documents: compact, map keys sorted, empty values left out,
 * unknown fields ignored on read. Documents written through it are byte-stable.
 *
 * <p>The image-spec records ({@link Manifest}, {@link ImageIndex}, {@link Descriptor},
 * {@link PlatformSpec}, {@link ImageConfig} and its parts) are read and written field by field
 * ({@code read}/{@code write} next to each record), not by Jackson's data binding: binding a record
 * type costs Jackson 10-50 ms of reflection the first time, in every process, and a build reads
 * and writes these documents on every run (≈ 100 ms of a no-op build, docs/benchmarks.md). The
 * mapper knows the same functions, so a record nested in other data serialises the same way.
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

  /** {@code value} as compact JSON, its fields written by {@code fields}. */
  public static <T> byte[] write(T value, JsonFields.Writer<T> fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(bytes)) {
      new JsonFields.Out(g).object(value, fields);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
    return bytes.toByteArray();
  }

  /** A document of kind {@code kind} (for messages), its fields read by {@code fields}. */
  public static <T> T read(byte[] bytes, String kind, JsonFields.Reader<T> fields) throws InvalidDocumentException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidDocumentException("invalid " + kind + " JSON: "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    }
    if (tree == null || tree.isMissingNode()) {
      throw new InvalidDocumentException("invalid " + kind + " JSON: no content");
    }
    return bind(tree, kind, fields);
  }

  static <T> T bind(JsonNode tree, String kind, JsonFields.Reader<T> fields) throws InvalidDocumentException {
    try {
      return fields.read(new JsonFields.In(tree, ""));
    } catch (InvalidDocumentException e) {
      throw new InvalidDocumentException("invalid " + kind + " JSON: " + e.getMessage(), e);
    } catch (NullPointerException e) { // a record's List.copyOf/Map.copyOf met a null element
      throw new InvalidDocumentException("invalid " + kind + " JSON: null where a value is required", e);
    }
  }

  private static SimpleModule documents() {
    SimpleModule m = new SimpleModule("image-spec documents");
    register(m, Descriptor.class, Descriptor::read, Descriptor::write);
    register(m, PlatformSpec.class, PlatformSpec::read, PlatformSpec::write);
    register(m, Manifest.class, Manifest::read, Manifest::write);
    register(m, ImageIndex.class, ImageIndex::read, ImageIndex::write);
    register(m, ImageConfig.class, ImageConfig::read, ImageConfig::write);
    register(m, ImageConfig.Container.class, ImageConfig::readContainer, ImageConfig::writeContainer);
    register(m, ImageConfig.RootFs.class, ImageConfig::readRootFs, ImageConfig::writeRootFs);
    register(m, ImageConfig.History.class, ImageConfig::readHistory, ImageConfig::writeHistory);
    register(m, ImageConfig.Healthcheck.class, ImageConfig::readHealthcheck, ImageConfig::writeHealthcheck);
    return m;
  }

  private static <T> void register(SimpleModule m, Class<T> type, JsonFields.Reader<T> reader, JsonFields.Writer<T> writer) {
    JsonFields.register(m, type, reader, writer);
  }
}
