package dev.jbuild.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Trees and plain data to and from bytes without an ObjectMapper, read and written as ObjectMapper did. */
class JsonTreesTest {
  private static JsonNode parse(String json) throws Exception {
    return JsonTrees.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void treesReadBackEqualToWhatObjectMapperReads() throws Exception {
    String json = "{\"b\":[1,9999999999,99999999999999999999,1.5,true,null,\"x\\u00e9\"],\"a\":{\"a\":1,\"a\":2},\"c\":{}}";
    assertEquals(Json.MAPPER.readTree(json), parse(json));
    assertEquals("{\"b\":[1,9999999999,99999999999999999999,1.5,true,null,\"x\u00e9\"],\"a\":{\"a\":2},\"c\":{}}",
        text(JsonTrees.write(parse(json))), "field order kept, the last of a repeated key");
    assertEquals(Json.MAPPER.readTree("[1] trailing"), parse("[1] trailing"));
    assertNull(JsonTrees.parse(new byte[0]));
    assertNull(JsonTrees.parse(" \n".getBytes(StandardCharsets.UTF_8)));
    assertThrows(java.io.IOException.class, () -> parse("{\"a\":"));
  }

  @Test
  void plainDataBecomesTheTreeItsJsonParsesTo() throws Exception {
    Map<String, Object> plain = new LinkedHashMap<>();
    plain.put("z", List.of(1, 3_000_000_000L, 2.5, "s", false));
    plain.put("a", null);
    plain.put("m", Map.of("k", 1));
    JsonNode tree = JsonTrees.toTree(plain);
    assertEquals(parse(text(JsonTrees.write(tree))), tree);
    assertEquals("{\"a\":null,\"m\":{\"k\":1},\"z\":[1,3000000000,2.5,\"s\",false]}", text(JsonTrees.canonical(plain)));
    assertEquals(text(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree)), text(JsonTrees.writePretty(tree)));
  }
}
