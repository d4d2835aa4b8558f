package dev.jbuild.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jbuild.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cache keys are the sha256 of the description's canonical JSON: the bytes must never change. */
class CacheKeyTest {
  /** How keys were written before the generator did it: existing caches are keyed by these bytes. */
  private static final ObjectMapper DATA_BINDING = JsonMapper.builder()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).build();

  @Test
  void canonicalJsonSortsKeysAtEveryLevelAndKeepsNulls() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("op", "exec");
    d.put("args", List.of("sh", "-c", "echo \"$A\" \u00e9\t/x"));
    Map<String, Object> mount = new HashMap<>();
    mount.put("target", "/c");
    mount.put("id", null);
    mount.put("mode", 493);
    d.put("mounts", List.of(mount));
    d.put("env", Map.of("B", "2", "A", "1"));
    d.put("network", true);
    d.put("size", 3_000_000_000L);
    byte[] bytes = CacheKey.canonicalBytes(d);
    assertEquals("{\"args\":[\"sh\",\"-c\",\"echo \\\"$A\\\" \u00e9\\t/x\"],\"env\":{\"A\":\"1\",\"B\":\"2\"},"
        + "\"mounts\":[{\"id\":null,\"mode\":493,\"target\":\"/c\"}],\"network\":true,\"op\":\"exec\",\"size\":3000000000}",
        new String(bytes, StandardCharsets.UTF_8));
    assertEquals(Digest.sha256(bytes), CacheKey.of(d).digest());
  }

  @Test
  void sameBytesAsJacksonDataBindingWroteForRandomDescriptions() throws Exception {
    Random random = new Random(20261202);
    for (int i = 0; i < 500; i++) {
      @SuppressWarnings("unchecked")
      Map<String, Object> d = (Map<String, Object>) plain(random, 0, true);
      assertEquals(new String(DATA_BINDING.writeValueAsBytes(d), StandardCharsets.UTF_8),
          new String(CacheKey.canonicalBytes(d), StandardCharsets.UTF_8));
    }
  }

  @Test
  void anythingButPlainDataIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> CacheKey.canonicalBytes(Map.of("path", java.nio.file.Path.of("/x"))));
  }

  private static Object plain(Random r, int depth, boolean map) {
    int kind = map ? 0 : r.nextInt(depth > 3 ? 6 : 8);
    switch (kind) {
      case 0, 6 -> {
        Map<String, Object> m = r.nextBoolean() ? new HashMap<>() : new LinkedHashMap<>();
        for (int i = r.nextInt(5); i > 0; i--) {
          m.put(text(r), plain(r, depth + 1, false));
        }
        return m;
      }
      case 7 -> {
        List<Object> l = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          l.add(plain(r, depth + 1, false));
        }
        return r.nextBoolean() ? l : List.copyOf(Arrays.asList(l.toArray()).stream().filter(o -> o != null).toList());
      }
      case 1 -> {
        return text(r);
      }
      case 2 -> {
        return r.nextBoolean() ? r.nextInt() : r.nextLong();
      }
      case 3 -> {
        return r.nextBoolean();
      }
      case 4 -> {
        return null;
      }
      default -> {
        return r.nextDouble() * 1000;
      }
    }
  }

  private static String text(Random r) {
    String alphabet = "abcXYZ09 _-./:\"\\\u00e9\u4e2d\n\t\u0001=$";
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(8); i > 0; i--) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
