package dev.jbuild.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Field-by-field reading (over Jackson's tree) and writing (over its generator) of JSON objects,
 * with the coercions Jackson's data binding applies to scalars: numbers and booleans read as text
 * where text is wanted, numeric text and truncated fractions where whole numbers are, 0/1 and
 * "true"/"false" where booleans are. Structural mismatches (an array where an object belongs) are
 * {@link InvalidDocumentException}s naming the field.
 */
public final class JsonFields {
  /**
   * Parser and generator factory. Not an ObjectMapper: the first one in a process costs ≈ 30 ms of
   * static set-up (its default date format loads calendar and locale data), and the documents a
   * cached build reads and writes need none of it.
   */
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonFields() {}

  /** A document of kind {@code kind} (for messages), its fields read by {@code fields}. */
  public static <T> T read(byte[] bytes, String kind, Reader<T> fields) throws InvalidDocumentException {
    JsonNode tree;
    try {
      tree = tree(bytes);
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
    return bytes(out -> out.object(value, fields), value.getClass().getSimpleName());
  }

  /** Compact JSON of plain data (maps, lists, strings, numbers, booleans, null), map keys sorted at every level. */
  public static byte[] canonical(Map<String, ?> value) {
    return bytes(out -> out.writePlain(value), "plain data");
  }

  /** A tree as compact JSON, fields in the tree's order. */
  public static byte[] write(JsonNode tree) {
    return bytes(out -> out.writeTree(tree), "JSON tree");
  }

  /** A tree as indented JSON (Jackson's default pretty printer), for files people read. */
  public static byte[] writePretty(JsonNode tree) {
    return bytes(out -> {
      out.g.useDefaultPrettyPrinter();
      out.writeTree(tree);
    }, "JSON tree");
  }

  @FunctionalInterface
  private interface Body {
    void write(Out out) throws IOException;
  }

  private static byte[] bytes(Body body, String what) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
      body.write(new Out(g));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise " + what, e);
    }
    return bytes.toByteArray();
  }

  /**
   * The first JSON value in {@code bytes} as a tree (what follows it is ignored, a repeated key
   * keeps its last value, as {@code ObjectMapper.readTree} does), or null when there is none.
   */
  public static JsonNode tree(byte[] bytes) throws IOException {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      JsonToken t = p.nextToken();
      return t == null ? null : node(p, t);
    }
  }

  private static JsonNode node(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        ObjectNode o = NODES.objectNode();
        for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
          String name = p.currentName();
          o.set(name, node(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          a.add(node(p, e));
        }
        return a;
      }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + t);
    }
  }

  /** Plain data as a tree (maps keep their order), numbers as {@link #tree} reads them. */
  public static JsonNode toTree(Object plain) {
    if (plain == null) {
      return NODES.nullNode();
    }
    if (plain instanceof Map<?, ?> m) {
      ObjectNode o = NODES.objectNode();
      m.forEach((k, v) -> o.set(String.valueOf(k), toTree(v)));
      return o;
    }
    if (plain instanceof List<?> l) {
      ArrayNode a = NODES.arrayNode();
      l.forEach(v -> a.add(toTree(v)));
      return a;
    }
    if (plain instanceof String str) {
      return NODES.textNode(str);
    }
    if (plain instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (plain instanceof Integer || plain instanceof Long || plain instanceof Short || plain instanceof Byte) {
      long v = ((Number) plain).longValue(); // as tree() reads it back, so that equal trees compare equal
      return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
    }
    if (plain instanceof Double d) {
      return NODES.numberNode(d);
    }
    if (plain instanceof BigInteger b) {
      return NODES.numberNode(b);
    }
    throw new IllegalArgumentException("not plain JSON data: " + plain.getClass().getName());
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

    public In(JsonNode node, String where) throws InvalidDocumentException {
      if (!node.isObject()) {
        throw new InvalidDocumentException((where.isEmpty() ? "the document" : where) + ": expected an object, got " + kind(node));
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

    public String string(String field) throws InvalidDocumentException {
      JsonNode v = get(field);
      return v == null ? null : text(v, at(field));
    }

    public int integer(String field) throws InvalidDocumentException {
      Long v = whole(field);
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
      Long v = whole(field);
      return v == null ? 0 : v;
    }

    public Long boxedLong(String field) throws InvalidDocumentException {
      return whole(field);
    }

    private Long whole(String field) throws InvalidDocumentException {
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
      throw new InvalidDocumentException(at(field) + ": expected a number, got " + kind(v));
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
      throw new InvalidDocumentException(at(field) + ": expected a boolean, got " + kind(v));
    }

    public List<String> strings(String field) throws InvalidDocumentException {
      JsonNode v = get(field);
      if (v == null) {
        return null;
      }
      if (!v.isArray()) {
        throw new InvalidDocumentException(at(field) + ": expected an array, got " + kind(v));
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
      JsonNode v = get(field);
      if (v == null) {
        return null;
      }
      if (!v.isObject()) {
        throw new InvalidDocumentException(at(field) + ": expected an object, got " + kind(v));
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        out.put(e.getKey(), e.getValue().isNull() ? null : text(e.getValue(), at(field) + "." + e.getKey()));
      }
      return out;
    }

    /** A map of objects of any content ({@code ExposedPorts}, {@code Volumes}); null values are kept. */
    public Map<String, Map<String, Object>> objectMap(String field) throws InvalidDocumentException {
      JsonNode v = get(field);
      if (v == null) {
        return null;
      }
      if (!v.isObject()) {
        throw new InvalidDocumentException(at(field) + ": expected an object, got " + kind(v));
      }
      Map<String, Map<String, Object>> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        JsonNode value = e.getValue();
        if (!value.isNull() && !value.isObject()) {
          throw new InvalidDocumentException(at(field) + "." + e.getKey() + ": expected an object, got " + kind(value));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = value.isNull() ? null : (Map<String, Object>) plain(value);
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
      JsonNode v = get(field);
      if (v == null) {
        return null;
      }
      if (!v.isArray()) {
        throw new InvalidDocumentException(at(field) + ": expected an array, got " + kind(v));
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
      throw new InvalidDocumentException(where + ": expected a string, got " + kind(v));
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

    public Out(JsonGenerator g) {
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
        writePlain(values);
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

    void writePlain(Object v) throws IOException {
      if (v == null) {
        g.writeNull();
      } else if (v instanceof String s) {
        g.writeString(s);
      } else if (v instanceof Boolean b) {
        g.writeBoolean(b);
      } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        g.writeNumber(((Number) v).longValue());
      } else if (v instanceof Double d) {
        g.writeNumber(d);
      } else if (v instanceof Float f) {
        g.writeNumber(f);
      } else if (v instanceof BigInteger b) {
        g.writeNumber(b);
      } else if (v instanceof java.math.BigDecimal b) {
        g.writeNumber(b);
      } else if (v instanceof Map<?, ?> m) {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : sorted(m).entrySet()) {
          g.writeFieldName(String.valueOf(e.getKey()));
          writePlain(e.getValue());
        }
        g.writeEndObject();
      } else if (v instanceof List<?> l) {
        g.writeStartArray();
        for (Object e : l) {
          writePlain(e);
        }
        g.writeEndArray();
      } else {
        throw new IllegalArgumentException("not plain JSON data: " + v.getClass().getName());
      }
    }

    void writeTree(JsonNode n) throws IOException {
      switch (n.getNodeType()) {
        case OBJECT -> {
          g.writeStartObject();
          for (Map.Entry<String, JsonNode> e : n.properties()) {
            g.writeFieldName(e.getKey());
            writeTree(e.getValue());
          }
          g.writeEndObject();
        }
        case ARRAY -> {
          g.writeStartArray();
          for (JsonNode e : n) {
            writeTree(e);
          }
          g.writeEndArray();
        }
        case STRING -> g.writeString(n.textValue());
        case BOOLEAN -> g.writeBoolean(n.booleanValue());
        case NUMBER -> {
          if (n.isIntegralNumber()) {
            g.writeNumber(n.bigIntegerValue());
          } else {
            g.writeNumber(n.doubleValue());
          }
        }
        default -> g.writeNull();
      }
    }

    private static Map<?, ?> sorted(Map<?, ?> m) {
      if (m instanceof TreeMap<?, ?> t && t.comparator() == null) {
        return m;
      }
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    }
  }

  /** A JSON value as plain Java data: maps (in document order), lists, strings, numbers, booleans, null. */
  static Object plain(JsonNode v) {
    if (v.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        m.put(e.getKey(), plain(e.getValue()));
      }
      return m;
    }
    if (v.isArray()) {
      List<Object> l = new ArrayList<>(v.size());
      v.forEach(e -> l.add(plain(e)));
      return Collections.unmodifiableList(l);
    }
    if (v.isNumber()) {
      return v.numberValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    return v.isNull() ? null : v.asText();
  }

  static String kind(JsonNode v) {
    return switch (v.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> "null";
    };
  }
}
