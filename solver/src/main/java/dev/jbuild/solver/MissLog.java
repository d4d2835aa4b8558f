package dev.jbuild.solver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.cache.AtomicFiles;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.JsonTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Why a step missed the cache, relative to the last build of the same target in this store: what
 * each step's key was computed from is kept under {@code explain/<scope hash>.json}, by step (its
 * name without the step numbers, which shift when lines are added), and compared on a miss —
 * which context file, build arg or env variable, base image or earlier step changed. Values of
 * variables are never shown (build args can carry tokens), only their names.
 */
public final class MissLog {
  /** Context files kept per step at most; beyond that a change is reported without file names. */
  static final int MAX_FILES = 20_000;
  private static final com.fasterxml.jackson.databind.node.JsonNodeFactory NODES =
      com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

  /**
   * What a step's key was computed from.
   *
   * @param fields the op's description (as hashed into its key)
   * @param files the context files it selects: path → type, mode and content digest
   * @param inputs its inputs' keys → their step ids
   */
  record Inputs(Map<String, Object> fields, Map<String, String> files, Map<String, String> inputs) {}

  private final Path file;
  private final JsonNode previous;
  private final Map<String, JsonNode> current = new java.util.concurrent.ConcurrentHashMap<>();

  /** @param scope what makes two builds "the same target" (e.g. context, Dockerfile and target stage) */
  public MissLog(Path storeRoot, String scope) {
    this.file = storeRoot.resolve("explain").resolve(Digest.sha256(scope.getBytes(StandardCharsets.UTF_8)).hex() + ".json");
    JsonNode prev;
    try {
      prev = JsonTrees.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      prev = null; // none yet, or unreadable: every miss is then "no earlier build"
    }
    this.previous = prev == null ? NODES.objectNode() : prev;
  }

  /** A vertex name without its step numbers: {@code [linux/amd64 2/5] COPY . .} → {@code [linux/amd64] COPY . .}. */
  static String stepId(String name) {
    return name.replaceFirst("^\\[([^\\]]*?)\\s*\\d+/\\d+\\]", "[$1]").replaceFirst("^\\[\\] ", "");
  }

  /** Remembers what {@code name}'s key was computed from, for the next build. */
  void record(String name, Inputs inputs) {
    current.put(stepId(name), toJson(inputs));
  }

  /** Why {@code name} missed: one line for people. */
  String explain(String name, Inputs now) {
    JsonNode before = previous.get(stepId(name));
    if (before == null) {
      return "no earlier build of this step in this store (a new or changed instruction)";
    }
    JsonNode cur = toJson(now);
    List<String> reasons = new ArrayList<>();
    Set<String> inputKeys = now.inputs().keySet();
    String files = filesChanged(before.path("files"), cur.path("files"));
    if (!files.isEmpty()) {
      reasons.add(files);
    }
    JsonNode bf = before.path("fields");
    JsonNode cf = cur.path("fields");
    Set<String> names = new TreeSet<>();
    bf.fieldNames().forEachRemaining(names::add);
    cf.fieldNames().forEachRemaining(names::add);
    for (String field : names) {
      JsonNode b = bf.path(field);
      JsonNode c = cf.path(field);
      if (b.equals(c)) {
        continue;
      }
      // JsonNode.toString() would set up an ObjectMapper (≈ 30 ms) just for this
      String bText = new String(JsonTrees.write(b), StandardCharsets.UTF_8);
      String cText = new String(JsonTrees.write(c), StandardCharsets.UTF_8);
      String changedInput = inputKeys.stream().filter(k -> cText.contains(k) && !bText.contains(k))
          .map(k -> now.inputs().get(k)).findFirst().orElse(null);
      if (changedInput != null) {
        reasons.add("earlier step changed: " + changedInput);
      } else if (field.equals("env")) {
        reasons.add("build arg or env changed: " + String.join(", ", variablesChanged(b, c)));
      } else if (field.equals("ref")) {
        reasons.add("base image changed: " + b.asText() + " → " + c.asText());
      } else if (!(field.equals("source") || field.equals("mounts")) || files.isEmpty()) {
        reasons.add(field + " changed");
      }
    }
    if (reasons.isEmpty()) {
      return "same inputs as the last build, but its cache record is gone (pruned, or that build did not finish)";
    }
    return String.join("; ", new LinkedHashSet<>(reasons));
  }

  /** Keeps this build's steps (and the earlier build's steps this one did not compute) for the next build. */
  public void save() throws IOException {
    ObjectNode out = previous.isObject() ? ((ObjectNode) previous).deepCopy() : NODES.objectNode();
    current.forEach(out::set);
    if (out.equals(previous)) {
      return; // a rebuild with the same inputs (every step cached): nothing new to keep
    }
    Files.createDirectories(file.getParent());
    AtomicFiles.writeUnsynced(file.getParent(), file, JsonTrees.write(out));
  }

  private static JsonNode toJson(Inputs i) {
    ObjectNode n = NODES.objectNode();
    ObjectNode fields = (ObjectNode) JsonTrees.toTree(i.fields());
    if (fields.path("env").isArray()) { // kept on disk: values only as digests
      com.fasterxml.jackson.databind.node.ArrayNode env = NODES.arrayNode();
      for (Map.Entry<String, String> v : variables(fields.path("env")).entrySet()) {
        env.add(v.getKey() + "=" + Digest.sha256(v.getValue().getBytes(StandardCharsets.UTF_8)).shortHex());
      }
      fields.set("env", env);
    }
    n.set("fields", fields);
    n.set("files", JsonTrees.toTree(i.files()));
    return n;
  }

  private static String filesChanged(JsonNode before, JsonNode now) {
    if (before.isEmpty() && now.isEmpty()) {
      return "";
    }
    Map<String, String> b = new TreeMap<>();
    before.fields().forEachRemaining(e -> b.put(e.getKey(), e.getValue().asText()));
    Map<String, String> c = new TreeMap<>();
    now.fields().forEachRemaining(e -> c.put(e.getKey(), e.getValue().asText()));
    List<String> changes = new ArrayList<>();
    for (Map.Entry<String, String> e : c.entrySet()) {
      String old = b.get(e.getKey());
      if (old == null) {
        changes.add(e.getKey() + " added");
      } else if (!old.equals(e.getValue())) {
        changes.add(e.getKey() + (sameContent(old, e.getValue()) ? " mode changed" : " changed"));
      }
    }
    for (String k : b.keySet()) {
      if (!c.containsKey(k)) {
        changes.add(k + " removed");
      }
    }
    if (changes.size() > 3) {
      return String.join(", ", changes.subList(0, 3)) + " and " + (changes.size() - 3) + " more files";
    }
    return String.join(", ", changes);
  }

  /** Fingerprints are {@code f\0<mode>\0<digest>\0}: equal digests with different modes. */
  private static boolean sameContent(String a, String b) {
    String[] x = a.split("\0");
    String[] y = b.split("\0");
    return x.length == 3 && y.length == 3 && x[0].equals(y[0]) && x[2].equals(y[2]);
  }

  private static List<String> variablesChanged(JsonNode before, JsonNode now) {
    Map<String, String> b = variables(before);
    Map<String, String> c = variables(now);
    Set<String> names = new TreeSet<>(b.keySet());
    names.addAll(c.keySet());
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (!java.util.Objects.equals(b.get(n), c.get(n))) {
        out.add(n);
      }
    }
    return out;
  }

  private static Map<String, String> variables(JsonNode env) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<JsonNode> it = env.elements(); it.hasNext(); ) {
      String kv = it.next().asText();
      int eq = kv.indexOf('=');
      out.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
    }
    return out;
  }
}
