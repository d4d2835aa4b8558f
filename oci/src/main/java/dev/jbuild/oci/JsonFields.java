package dev.jbuild.oci;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Field-by-field reading (over Jackson's tree) and writing (over its generator) of JSON objects,
 * with the coercions Jackson's data binding applies to scalars: numbers and booleans read as text
 * where text is wanted, numeric text and truncated fractions where whole numbers are, 0/1 and
 * "true"/"false" where booleans are. Structural mismatches (an array where an object belongs) are
 * {@link InvalidDocumentException}s naming the field.
 */
public final class JsonFields {
  private JsonFields() {}

  /** A document of kind {@code kind} (for messages), its fields read by {@code fields}. */
  public static <T> T read(byte[] bytes, String kind, Reader<T> fields) throws InvalidDocumentException {
    JsonNode tree;
    try {
      tree = JsonTrees.parseWhole(bytes);
    } catch (IOException e) {
      throw new InvalidDocumentException("invalid " + kind + " JSON: "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    }
    if (tree == null) {
      throw new InvalidDocumentException("invalid " + kind + " JSON: no content");
    }
    return bind(tree, kind, fields);
  }

  static <T> T bind(JsonNode tree, String kind, Reader<T> fields) throws InvalidDocumentException {
    try {
      return fields.read(new In(tree, ""));
    } catch (InvalidDocumentException e) {
      throw new InvalidDocumentException("invalid " + kind + " JSON: " + e.getMessage(), e);
    } catch (NullPointerException e) { // a record's List.copyOf/Map.copyOf met a null element
      throw new InvalidDocumentException("invalid " + kind + " JSON: null where a value is required", e);
    }
  }

  /** {@code value} as compact JSON, its fields written by {@code fields}. */
  public static <T> byte[] write(T value, Writer<T> fields) {
    return JsonTrees.generate(g -> new Out(g).object(value, fields), value.getClass().getSimpleName());
  }

  /** Makes {@code mapper}s with {@code module} (de)serialise {@code type} through the same functions. */
  public static <T> void register(SimpleModule module, Class<T> type, Reader<T> reader, Writer<T> writer) {
    module.addSerializer(type, new JsonSerializer<T>() {
      @Override
      public void serialize(T value, JsonGenerator g, SerializerProvider provider) throws IOException {
        new Out(g).object(value, writer);
      }
    });
    module.addDeserializer(type, new JsonDeserializer<T>() {
      @Override
      public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode tree = p.readValueAsTree();
        try {
          return bind(tree, type.getSimpleName(), reader);
        } catch (InvalidDocumentException e) {
          throw JsonMappingException.from(p, e.getMessage(), e);
        }
      }
    });
  }

  /** The fields of one JSON object, {@code where} its path in the document (empty at the top, for messages). */
  public static final class In {
    private final JsonNode node;
    private final String where;

    In(JsonNode node, String where) throws InvalidDocumentException {
      if (!node.isObject()) {
        throw new InvalidDocumentException((where.isEmpty() ? "the document" : where) + ": expected an object, got "
            + JsonTrees.kind(node));
      }
      this.node = node;
      this.where = where;
    }

    private JsonNode get(String field) {
      JsonNode v = node.get(field);
      return v == null || v.isNull() ? null : v;
    }

    private String at(String field) {
      return where.isEmpty() ? field : where + "." + field;
    }

    /** The field's array, or null when absent; anything else is an error. */
    private JsonNode arrayNode(String field) throws InvalidDocumentException {
      JsonNode v = get(field);
      if (v != null && !v.isArray()) {
        throw new InvalidDocumentException(at(field) + ": expected an array, got " + JsonTrees.kind(v));
      }
      return v;
    }

    /** The field's object, or null when absent; anything else is an error. */
    private JsonNode objectNode(String field) throws InvalidDocumentException {
      JsonNode v = get(field);
      if (v != null && !v.isObject()) {
        throw new InvalidDocumentException(at(field) + ": expected an object, got " + JsonTrees.kind(v));
      }
      return v;
    }

    public String string(String field) throws InvalidDocumentException {
      JsonNode v = get(field);
      return v == null ? null : text(v, at(field));
    }

    public int integer(String field) throws InvalidDocumentException {
      Long v = boxedLong(field);
      if (v == null) {
        return 0;
      }
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw new InvalidDocumentException(at(field) + ": " + v + " is out of range");
      }
      return (int) (long) v;
    }

    public Integer boxedInteger(String field) throws InvalidDocumentException {
      return get(field) == null ? null : integer(field);
    }

    public long longValue(String field) throws InvalidDocumentException {
      Long v = boxedLong(field);
      return v == null ? 0 : v;
    }

    public Long boxedLong(String field) throws InvalidDocumentException {
      JsonNode v = get(field);
      if (v == null) {
        return null;
      }
      if (v.isIntegralNumber()) {
        if (!v.canConvertToLong()) {
          throw new InvalidDocumentException(at(field) + ": " + v.asText() + " is out of range");
        }
        return v.longValue();
      }
      if (v.isNumber()) {
        return (long) v.doubleValue();
      }
      if (v.isTextual()) {
        try {
          return new BigInteger(v.textValue().trim()).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
          throw new InvalidDocumentException(at(field) + ": expected a whole number, got \"" + v.textValue() + "\"");
        }
      }
      throw new InvalidDocumentException(at(field) + ": expected a number, got " + JsonTrees.kind(v));
    }

    public Boolean bool(String field) throws InvalidDocumentException {
      JsonNode v = get(field);
      if (v == null) {
        return null;
      }
      if (v.isBoolean()) {
        return v.booleanValue();
      }
      if (v.isIntegralNumber()) {
        return v.longValue() != 0;
      }
      if (v.isTextual() && (v.textValue().equalsIgnoreCase("true") || v.textValue().equalsIgnoreCase("false"))) {
        return Boolean.parseBoolean(v.textValue());
      }
      throw new InvalidDocumentException(at(field) + ": expected a boolean, got " + JsonTrees.kind(v));
    }

    public List<String> strings(String field) throws InvalidDocumentException {
      JsonNode v = arrayNode(field);
      if (v == null) {
        return null;
      }
      List<String> out = new ArrayList<>(v.size());
      for (JsonNode e : v) {
        if (e.isNull()) {
          throw new InvalidDocumentException(at(field) + ": null in a list of strings");
        }
        out.add(text(e, at(field)));
      }
      return out;
    }

    /** A string map; null values are kept (the records decide whether they accept them). */
    public Map<String, String> stringMap(String field) throws InvalidDocumentException {
      JsonNode v = objectNode(field);
      if (v == null) {
        return null;
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        out.put(e.getKey(), e.getValue().isNull() ? null : text(e.getValue(), at(field) + "." + e.getKey()));
      }
      return out;
    }

    /** A map of objects of any content ({@code ExposedPorts}, {@code Volumes}); null values are kept. */
    public Map<String, Map<String, Object>> objectMap(String field) throws InvalidDocumentException {
      JsonNode v = objectNode(field);
      if (v == null) {
        return null;
      }
      Map<String, Map<String, Object>> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        JsonNode value = e.getValue();
        if (!value.isNull() && !value.isObject()) {
          throw new InvalidDocumentException(at(field) + "." + e.getKey() + ": expected an object, got " + JsonTrees.kind(value));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = value.isNull() ? null : (Map<String, Object>) JsonTrees.plain(value);
        out.put(e.getKey(), m);
      }
      return out;
    }

    /** A nested object, or null when absent. */
    public <T> T object(String field, Reader<T> reader) throws InvalidDocumentException {
      JsonNode v = get(field);
      return v == null ? null : reader.read(new In(v, at(field)));
    }

    /** A list of objects, or null when absent; a null element is an error. */
    public <T> List<T> objects(String field, Reader<T> reader) throws InvalidDocumentException {
      JsonNode v = arrayNode(field);
      if (v == null) {
        return null;
      }
      List<T> out = new ArrayList<>(v.size());
      int i = 0;
      for (JsonNode e : v) {
        out.add(reader.read(new In(e, at(field) + "[" + i++ + "]")));
      }
      return out;
    }

    private static String text(JsonNode v, String where) throws InvalidDocumentException {
      if (v.isTextual()) {
        return v.textValue();
      }
      if (v.isNumber() || v.isBoolean()) {
        return v.asText();
      }
      throw new InvalidDocumentException(where + ": expected a string, got " + JsonTrees.kind(v));
    }
  }

  /** Builds a value from one object's fields. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(In in) throws InvalidDocumentException;
  }

  /** Writes one value's fields. */
  @FunctionalInterface
  public interface Writer<T> {
    void write(Out out, T value) throws IOException;
  }

  /**
   * Writes fields in the order called. "Unless empty" is the image-spec mapper's default inclusion:
   * null, empty strings, empty lists and empty maps are left out; numbers and booleans never are.
   */
  public static final class Out {
    private final JsonGenerator g;

    Out(JsonGenerator g) {
      this.g = g;
    }

    public <T> void object(T value, Writer<T> fields) throws IOException {
      g.writeStartObject();
      fields.write(this, value);
      g.writeEndObject();
    }

    public void stringUnlessEmpty(String field, String value) throws IOException {
      if (value != null && !value.isEmpty()) {
        g.writeStringField(field, value);
      }
    }

    public void stringUnlessNull(String field, String value) throws IOException {
      if (value != null) {
        g.writeStringField(field, value);
      }
    }

    /** A string field, written as null when null (for documents that keep nulls). */
    public void stringAlways(String field, String value) throws IOException {
      g.writeFieldName(field);
      if (value == null) {
        g.writeNull();
      } else {
        g.writeString(value);
      }
    }

    public void bool(String field, boolean value) throws IOException {
      g.writeBooleanField(field, value);
    }

    public void number(String field, long value) throws IOException {
      g.writeNumberField(field, value);
    }

    public void numberUnlessNull(String field, Long value) throws IOException {
      if (value != null) {
        g.writeNumberField(field, value);
      }
    }

    public void numberUnlessNull(String field, Integer value) throws IOException {
      if (value != null) {
        g.writeNumberField(field, value);
      }
    }

    public void boolUnlessNull(String field, Boolean value) throws IOException {
      if (value != null) {
        g.writeBooleanField(field, value);
      }
    }

    public void strings(String field, List<String> values) throws IOException {
      g.writeArrayFieldStart(field);
      for (String s : values) {
        g.writeString(s);
      }
      g.writeEndArray();
    }

    public void stringsUnlessEmpty(String field, List<String> values) throws IOException {
      if (values != null && !values.isEmpty()) {
        strings(field, values);
      }
    }

    /** A map of plain values (strings, numbers, booleans, null, maps, lists), keys sorted at every level. */
    public void mapUnlessEmpty(String field, Map<String, ?> values) throws IOException {
      if (values != null && !values.isEmpty()) {
        g.writeFieldName(field);
        JsonTrees.writePlain(g, values);
      }
    }

    public <T> void objectUnlessNull(String field, T value, Writer<T> fields) throws IOException {
      if (value != null) {
        g.writeFieldName(field);
        object(value, fields);
      }
    }

    public <T> void objects(String field, List<T> values, Writer<T> fields) throws IOException {
      g.writeArrayFieldStart(field);
      for (T v : values) {
        object(v, fields);
      }
      g.writeEndArray();
    }

    public <T> void objectsUnlessEmpty(String field, List<T> values, Writer<T> fields) throws IOException {
      if (values != null && !values.isEmpty()) {
        objects(field, values, fields);
      }
    }
  }
}
