package dev.jbuild.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
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
 * JSON trees and plain data (maps, lists, strings, numbers, booleans, null) to and from bytes with
 * Jackson's parser and generator and its tree nodes — without an ObjectMapper: the first one in a
 * process costs ≈ 30 ms of static set-up (its default date format loads calendar and locale data),
 * and what a build reads and writes on every run needs none of it (docs/benchmarks.md).
 */
public final class JsonTrees {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  /**
   * The first JSON value in {@code bytes} as a tree (what follows it is ignored, a repeated key
   * keeps its last value, as {@code ObjectMapper.readTree} does), or null when there is none.
   */
  public static JsonNode parse(byte[] bytes) throws IOException {
    return parse(bytes, false);
  }

  /**
   * The one JSON value in {@code bytes} as a tree, or null when there is none; anything but whitespace
   * after it is an error, as Go's {@code json.Unmarshal} (registries, BuildKit) has it for a document.
   */
  public static JsonNode parseWhole(byte[] bytes) throws IOException {
    return parse(bytes, true);
  }

  private static JsonNode parse(byte[] bytes, boolean whole) throws IOException {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return null;
      }
      JsonNode tree = node(p, t);
      if (whole && p.nextToken() != null) {
        throw new JsonParseException(p, "content after the document's value (line " + p.currentLocation().getLineNr()
            + ", column " + p.currentLocation().getColumnNr() + ")");
      }
      return tree;
    }
  }

  /** A tree as compact JSON, fields in the tree's order. */
  public static byte[] write(JsonNode tree) {
    return generate(g -> writeTree(g, tree), "JSON tree");
  }

  /** A tree as indented JSON (Jackson's default pretty printer), for files people read. */
  public static byte[] writePretty(JsonNode tree) {
    return generate(g -> {
      g.useDefaultPrettyPrinter();
      writeTree(g, tree);
    }, "JSON tree");
  }

  /** Compact JSON of plain data, map keys sorted at every level (as ObjectMapper with sorted map entries writes it). */
  public static byte[] canonical(Map<String, ?> value) {
    return generate(g -> writePlain(g, value), "plain data");
  }

  /** Plain data as a tree (maps keep their order), numbers as {@link #parse} reads them. */
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

  /** Writes with a generator over a byte array. */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  static byte[] generate(Body body, String what) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise " + what, e);
    }
    return bytes.toByteArray();
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

  static void writePlain(JsonGenerator g, Object v) throws IOException {
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
        writePlain(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object e : l) {
        writePlain(g, e);
      }
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException("not plain JSON data: " + v.getClass().getName());
    }
  }

  static void writeTree(JsonGenerator g, JsonNode n) throws IOException {
    switch (n.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          g.writeFieldName(e.getKey());
          writeTree(g, e.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode e : n) {
          writeTree(g, e);
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
