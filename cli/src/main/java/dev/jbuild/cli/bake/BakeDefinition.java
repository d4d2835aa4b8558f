package dev.jbuild.cli.bake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The groups and targets of one or more bake files (compose YAML, bake JSON, bake HCL), merged in
 * order as buildx merges them, and resolved for a {@code bake} command line: groups expanded,
 * {@code inherits} applied, {@code ${VAR}} expanded from variables (the environment overrides a
 * variable's default), {@code --set} applied.
 */
public final class BakeDefinition {
  /** The default files, in buildx's order; every one that exists is read. */
  public static final List<String> DEFAULT_FILES = List.of("compose.yaml", "compose.yml", "docker-compose.yml",
      "docker-compose.yaml", "docker-bake.json", "docker-bake.override.json", "docker-bake.hcl",
      "docker-bake.override.hcl");
  private static final Set<String> LIST_KEYS = Set.of("tags", "platforms", "cache-from", "cache-to", "secret", "output",
      "inherits", "ulimits");
  private static final Set<String> MAP_KEYS = Set.of("args", "labels", "contexts", "extra-hosts");
  private static final Set<String> SCALAR_KEYS = Set.of("context", "dockerfile", "target", "no-cache", "pull", "description",
      "network", "shm-size");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, List<String>> groups = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> targets = new LinkedHashMap<>();

  private BakeDefinition() {}

  /** Reads and merges the files; {@code env} is the process environment. */
  public static BakeDefinition load(List<Path> files, Map<String, String> env) {
    BakeDefinition def = new BakeDefinition();
    Map<String, String> variables = new LinkedHashMap<>();
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Path f : files) {
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage());
      }
      String name = f.getFileName().toString();
      Map<String, Object> doc;
      if (name.endsWith(".yml") || name.endsWith(".yaml")) {
        doc = ComposeReader.read(f, text, env::get);
      } else if (name.endsWith(".hcl")) {
        doc = HclReader.read(f.toString(), text);
      } else {
        try {
          @SuppressWarnings("unchecked")
          Map<String, Object> json = new ObjectMapper().readValue(text, LinkedHashMap.class);
          doc = json;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          var at = e.getLocation();
          throw new IllegalArgumentException(f + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
              + ": not valid JSON: " + e.getOriginalMessage().replaceAll(
                  " \\(start marker at \\[Source: .*; line: (\\d+), column: (\\d+)\\]\\)", " (opened at $1:$2)"));
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage());
        }
      }
      for (Map.Entry<String, Object> v : section(doc, "variable", f).entrySet()) {
        Object d = v.getValue() instanceof Map<?, ?> m ? m.get("default") : null;
        variables.put(v.getKey(), d == null ? "" : String.valueOf(d));
      }
      docs.add(doc);
    }
    Function<String, String> lookup = k -> env.containsKey(k) ? env.get(k) : variables.get(k);
    for (int i = 0; i < docs.size(); i++) {
      Path f = files.get(i);
      for (Map.Entry<String, Object> g : section(docs.get(i), "group", f).entrySet()) {
        Object ts = g.getValue() instanceof Map<?, ?> m ? m.get("targets") : null;
        def.groups.put(g.getKey(), strings(ts, f + ": group \"" + g.getKey() + "\".targets", lookup));
      }
      for (Map.Entry<String, Object> t : section(docs.get(i), "target", f).entrySet()) {
        String where = f + ": target \"" + t.getKey() + "\"";
        if (!(t.getValue() instanceof Map<?, ?> attrs)) {
          throw new IllegalArgumentException(where + ": expected an object");
        }
        Map<String, Object> merged = def.targets.computeIfAbsent(t.getKey(), k -> new LinkedHashMap<>());
        for (Map.Entry<?, ?> a : attrs.entrySet()) {
          String key = String.valueOf(a.getKey());
          try {
            merged.put(key, normalise(key, a.getValue(), where, lookup));
          } catch (Interpolation.BadExpression e) {
            throw new IllegalArgumentException(where + "." + key + ": " + e.getMessage());
          }
        }
      }
    }
    return def;
  }

  /** The targets a command line names (groups expanded; none means "default"), with --set applied. */
  public List<BakeTarget> resolve(List<String> names, List<String> sets) {
    List<String> wanted = names.isEmpty() ? List.of("default") : names;
    Set<String> out = new LinkedHashSet<>();
    for (String n : wanted) {
      expand(n, out, new LinkedHashSet<>());
    }
    Map<String, Map<String, Object>> resolved = new LinkedHashMap<>();
    for (String n : out) {
      resolved.put(n, inherited(n, new LinkedHashSet<>()));
    }
    for (String set : sets) {
      applySet(set, resolved);
    }
    List<BakeTarget> result = new ArrayList<>();
    resolved.forEach((n, attrs) -> result.add(toTarget(n, attrs)));
    return result;
  }

  /** buildx's {@code --print}: the group asked for and the resolved targets, as JSON. */
  public static String print(List<String> names, List<BakeTarget> resolved) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("group", Map.of("default", Map.of("targets", names.isEmpty() ? resolved.stream().map(BakeTarget::name).toList()
        : names)));
    Map<String, Object> ts = new LinkedHashMap<>();
    for (BakeTarget t : resolved) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("context", t.context());
      m.put("dockerfile", t.dockerfile());
      putIf(m, "args", new java.util.TreeMap<>(t.args()));
      putIf(m, "labels", new java.util.TreeMap<>(t.labels()));
      putIf(m, "tags", t.tags());
      t.target().ifPresent(v -> m.put("target", v));
      putIf(m, "platforms", t.platforms());
      putIf(m, "cache-from", t.cacheFrom());
      putIf(m, "cache-to", t.cacheTo());
      putIf(m, "secret", t.secrets());
      putIf(m, "contexts", new java.util.TreeMap<>(t.contexts()));
      putIf(m, "output", t.outputs());
      t.run().network().ifPresent(v -> m.put("network", v));
      putIf(m, "extra-hosts", t.run().extraHosts());
      t.run().shmSize().ifPresent(v -> m.put("shm-size", v));
      putIf(m, "ulimits", t.run().ulimits());
      if (t.noCache()) {
        m.put("no-cache", true);
      }
      if (t.pull()) {
        m.put("pull", true);
      }
      ts.put(t.name(), m);
    }
    root.put("target", ts);
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void putIf(Map<String, Object> m, String key, Object value) {
    if (value instanceof Map<?, ?> map && map.isEmpty() || value instanceof List<?> l && l.isEmpty()) {
      return;
    }
    m.put(key, value);
  }

  private void expand(String name, Set<String> out, Set<String> visiting) {
    if (groups.containsKey(name)) {
      if (!visiting.add(name)) {
        throw new IllegalArgumentException("group \"" + name + "\" includes itself (" + cycle(visiting, name) + ")");
      }
      for (String member : groups.get(name)) {
        expand(member, out, visiting);
      }
      visiting.remove(name);
    } else if (targets.containsKey(name)) {
      out.add(name);
    } else if (name.equals("default") && targets.size() == 1) {
      out.add(targets.keySet().iterator().next());
    } else {
      throw new IllegalArgumentException("failed to find target " + name + " (known: "
          + String.join(", ", new LinkedHashSet<>(concat(groups.keySet(), targets.keySet()))) + ")");
    }
  }

  /** The chain that leads back to {@code name}: {@code a -> b -> a}. */
  private static String cycle(Set<String> visiting, String name) {
    List<String> chain = new ArrayList<>(visiting);
    chain = new ArrayList<>(chain.subList(chain.indexOf(name), chain.size()));
    chain.add(name);
    return String.join(" -> ", chain);
  }

  private static List<String> concat(Set<String> a, Set<String> b) {
    List<String> l = new ArrayList<>(a);
    l.addAll(b);
    return l;
  }

  /** A target with its parents' attributes under its own: maps merge, lists and values are replaced. */
  private Map<String, Object> inherited(String name, Set<String> visiting) {
    Map<String, Object> own = targets.get(name);
    if (own == null) {
      throw new IllegalArgumentException("failed to find target " + name + " to inherit from");
    }
    if (!visiting.add(name)) {
      throw new IllegalArgumentException("target \"" + name + "\" inherits from itself (" + cycle(visiting, name) + ")");
    }
    Map<String, Object> result = new LinkedHashMap<>();
    @SuppressWarnings("unchecked")
    List<String> parents = (List<String>) own.getOrDefault("inherits", List.of());
    for (String p : parents) {
      merge(result, inherited(p, visiting));
    }
    merge(result, own);
    result.remove("inherits");
    visiting.remove(name);
    return result;
  }

  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> into, Map<String, Object> from) {
    for (Map.Entry<String, Object> e : from.entrySet()) {
      if (MAP_KEYS.contains(e.getKey()) && into.get(e.getKey()) instanceof Map<?, ?> existing) {
        Map<String, String> m = new LinkedHashMap<>((Map<String, String>) existing);
        m.putAll((Map<String, String>) e.getValue());
        into.put(e.getKey(), m);
      } else {
        into.put(e.getKey(), e.getValue());
      }
    }
  }

  /** {@code --set PATTERN.KEY=VALUE}: PATTERN is a target name or a glob ({@code *}, {@code ?}). */
  @SuppressWarnings("unchecked")
  private static void applySet(String set, Map<String, Map<String, Object>> resolved) {
    int eq = set.indexOf('=');
    int dot = set.indexOf('.');
    if (eq < 0 || dot < 0 || dot > eq) {
      throw new IllegalArgumentException("--set " + set + ": invalid value, expected TARGET.KEY=VALUE");
    }
    String pattern = set.substring(0, dot);
    String key = set.substring(dot + 1, eq);
    String value = set.substring(eq + 1);
    Pattern glob = Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"));
    List<String> matched = resolved.keySet().stream().filter(n -> glob.matcher(n).matches()).toList();
    if (matched.isEmpty()) {
      throw new IllegalArgumentException("--set " + set + ": could not find any target matching '" + pattern + "'");
    }
    String base = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
    if (base.equals("platform")) {
      base = "platforms";
    } else if (base.equals("secrets")) {
      base = "secret";
    }
    for (String n : matched) {
      Map<String, Object> t = resolved.get(n);
      if (MAP_KEYS.contains(base)) {
        if (!key.contains(".")) {
          throw new IllegalArgumentException("--set " + set + ": " + base + " needs a name (" + base + ".NAME=VALUE)");
        }
        Map<String, String> m = new LinkedHashMap<>((Map<String, String>) t.getOrDefault(base, Map.of()));
        m.put(key.substring(key.indexOf('.') + 1), value);
        t.put(base, m);
      } else if (LIST_KEYS.contains(base) && !base.equals("inherits")) {
        List<String> values = base.equals("platforms") ? List.of(value.split(",")) : List.of(value);
        t.put(base, values);
      } else if (SCALAR_KEYS.contains(base) || base.equals("dockerfile")) {
        t.put(base, base.equals("no-cache") || base.equals("pull") ? (Object) Boolean.parseBoolean(value) : value);
      } else {
        throw new IllegalArgumentException("--set " + set + ": unknown key \"" + key + "\"");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static BakeTarget toTarget(String name, Map<String, Object> a) {
    return new BakeTarget(name,
        (String) a.getOrDefault("context", "."),
        (String) a.getOrDefault("dockerfile", "Dockerfile"),
        (Map<String, String>) a.getOrDefault("args", Map.of()),
        (Map<String, String>) a.getOrDefault("labels", Map.of()),
        (List<String>) a.getOrDefault("tags", List.of()),
        (List<String>) a.getOrDefault("platforms", List.of()),
        Optional.ofNullable((String) a.get("target")),
        (List<String>) a.getOrDefault("cache-from", List.of()),
        (List<String>) a.getOrDefault("cache-to", List.of()),
        (List<String>) a.getOrDefault("secret", List.of()),
        (Map<String, String>) a.getOrDefault("contexts", Map.of()),
        (List<String>) a.getOrDefault("output", List.of()),
        Boolean.TRUE.equals(a.get("no-cache")),
        Boolean.TRUE.equals(a.get("pull")),
        new BakeTarget.RunSettings(Optional.ofNullable((String) a.get("network")),
            (Map<String, String>) a.getOrDefault("extra-hosts", Map.of()),
            Optional.ofNullable((String) a.get("shm-size")),
            (List<String>) a.getOrDefault("ulimits", List.of())));
  }

  /** A target attribute in its one internal shape: strings expanded, lists of strings, maps of strings. */
  private static Object normalise(String key, Object value, String where, Function<String, String> lookup) {
    if (MAP_KEYS.contains(key)) {
      if (!(value instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException(where + "." + key + ": expected an object of names to values");
      }
      Map<String, String> out = new LinkedHashMap<>();
      m.forEach((k, v) -> {
        if (v != null) {
          out.put(String.valueOf(k), Interpolation.expand(String.valueOf(v), lookup));
        }
      });
      return out;
    }
    if (LIST_KEYS.contains(key)) {
      return strings(value, where + "." + key, lookup);
    }
    if (key.equals("no-cache") || key.equals("pull")) {
      if (value instanceof Boolean || "true".equals(value) || "false".equals(value)) {
        return Boolean.TRUE.equals(value) || "true".equals(value);
      }
      throw new IllegalArgumentException(where + "." + key + ": expected true or false, not \"" + value + "\"");
    }
    if (SCALAR_KEYS.contains(key)) {
      return value == null ? null : Interpolation.expand(String.valueOf(value), lookup);
    }
    throw new IllegalArgumentException(where + ": attribute \"" + key + "\" is not supported by jbuild's bake (supported: "
        + String.join(", ", allKeys()) + ")");
  }

  private static java.util.SortedSet<String> allKeys() {
    java.util.SortedSet<String> all = new java.util.TreeSet<>(SCALAR_KEYS);
    all.addAll(LIST_KEYS);
    all.addAll(MAP_KEYS);
    return all;
  }

  private static List<String> strings(Object value, String where, Function<String, String> lookup) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return List.of(Interpolation.expand(s, lookup));
    }
    if (!(value instanceof List<?> l)) {
      throw new IllegalArgumentException(where + ": expected a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object o : l) {
      out.add(Interpolation.expand(String.valueOf(o), lookup));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> doc, String name, Path file) {
    Object s = doc.get(name);
    if (s == null) {
      return Map.of();
    }
    if (!(s instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(file + ": \"" + name + "\" must be an object");
    }
    return (Map<String, Object>) s;
  }
}
