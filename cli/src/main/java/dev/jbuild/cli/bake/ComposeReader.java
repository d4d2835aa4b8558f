package dev.jbuild.cli.bake;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The {@code build:} sections of a compose file as bake targets (one per service that builds),
 * the way buildx reads them: context relative to the compose file, dockerfile relative to the
 * context, {@code image} as the first tag, secrets from the top-level {@code secrets:} section.
 */
final class ComposeReader {
  /** The compose specification's build keys: any other is a typo, rejected as docker compose does. */
  private static final java.util.Set<String> BUILD_KEYS = java.util.Set.of("context", "dockerfile", "dockerfile_inline",
      "args", "ssh", "cache_from", "cache_to", "additional_contexts", "extra_hosts", "isolation", "privileged", "labels",
      "no_cache", "pull", "network", "shm_size", "target", "secrets", "tags", "ulimits", "platforms", "entitlements");

  private ComposeReader() {}

  /** {"group": {"default": {"targets": [...]}}, "target": {...}} in bake JSON's shape. */
  static Map<String, Object> read(Path file, String text, Function<String, String> env) {
    Object doc;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false); // as docker compose: a repeated service or key is an error, not a silent override
      doc = new Yaml(new SafeConstructor(options)).load(text);
    } catch (MarkedYAMLException e) {
      Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw new IllegalArgumentException(file + (at == null ? "" : ":" + (at.getLine() + 1) + ":" + (at.getColumn() + 1))
          + ": not valid YAML: " + (e.getProblem() != null ? e.getProblem() : e.getContext())
          + (e.getProblem() != null && e.getContext() != null && e.getContextMark() != null ? " (" + e.getContext()
              + " at " + (e.getContextMark().getLine() + 1) + ":" + (e.getContextMark().getColumn() + 1) + ")" : ""));
    } catch (YAMLException e) {
      throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage());
    }
    if (!(doc instanceof Map<?, ?> root)) {
      throw new IllegalArgumentException(file + ": not a compose file (expected a mapping at the top)");
    }
    Path dir = file.toAbsolutePath().getParent();
    Map<String, Object> targets = new LinkedHashMap<>();
    Map<?, ?> services = map(root.get("services"), file + ": services");
    Map<?, ?> secretDefs = map(root.get("secrets"), file + ": secrets");
    for (Map.Entry<?, ?> e : services.entrySet()) {
      String name = String.valueOf(e.getKey());
      Map<?, ?> service = map(e.getValue(), file + ": services." + name);
      Object build = service.get("build");
      if (build == null) {
        continue; // an image pulled as it is
      }
      Map<?, ?> b = build instanceof String s ? Map.of("context", s) : map(build, file + ": services." + name + ".build");
      String where = file + ": services." + name + ".build";
      for (Object key : b.keySet()) {
        if (!BUILD_KEYS.contains(String.valueOf(key))) {
          throw new IllegalArgumentException(where + ": unknown key \"" + key + "\" (the compose specification's build keys: "
              + String.join(", ", new java.util.TreeSet<>(BUILD_KEYS)) + ")");
        }
      }
      try {
        targets.put(name, target(b, where, dir, secretDefs, file, service, env));
      } catch (Interpolation.BadExpression bad) {
        throw new IllegalArgumentException(where + ": " + bad.getMessage());
      }
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException(file + ": no service has a build: section");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("group", Map.of("default", Map.of("targets", new ArrayList<>(targets.keySet()))));
    out.put("target", targets);
    return out;
  }

  /** One service's build section in bake JSON's shape. */
  private static Map<String, Object> target(Map<?, ?> b, String where, Path dir, Map<?, ?> secretDefs, Path file,
      Map<?, ?> service, Function<String, String> env) {
    Map<String, Object> t = new LinkedHashMap<>();
    Path context = dir.resolve(expand(String.valueOf(b.containsKey("context") ? b.get("context") : "."), env)).normalize();
    t.put("context", context.toString());
    if (b.get("dockerfile") != null) {
      t.put("dockerfile", expand(String.valueOf(b.get("dockerfile")), env));
    }
    t.put("args", pairs(b.get("args"), where + ".args", env, true));
    t.put("labels", pairs(b.get("labels"), where + ".labels", env, false));
    List<String> tags = new ArrayList<>();
    if (service.get("image") != null) {
      tags.add(expand(String.valueOf(service.get("image")), env));
    }
    tags.addAll(strings(b.get("tags"), where + ".tags", env));
    t.put("tags", tags);
    t.put("platforms", strings(b.get("platforms"), where + ".platforms", env));
    if (b.get("target") != null) {
      t.put("target", expand(String.valueOf(b.get("target")), env));
    }
    t.put("cache-from", strings(b.get("cache_from"), where + ".cache_from", env));
    t.put("cache-to", strings(b.get("cache_to"), where + ".cache_to", env));
    Map<String, String> contexts = new LinkedHashMap<>();
    // as compose does: a local directory is relative to the compose file, other forms stay as written
    pairs(b.get("additional_contexts"), where + ".additional_contexts", env, false).forEach((k, v) ->
        contexts.put(k, v.contains("://") || v.startsWith("target:") || v.startsWith("git@") ? v
            : dir.resolve(v).normalize().toString()));
    t.put("contexts", contexts);
    List<String> secrets = new ArrayList<>();
    for (Object s : list(b.get("secrets"), where + ".secrets")) {
      String id = s instanceof Map<?, ?> m ? String.valueOf(m.get("source")) : String.valueOf(s);
      Map<?, ?> def = map(secretDefs.get(id), file + ": secrets." + id);
      if (def.get("file") != null) {
        secrets.add("id=" + id + ",src=" + dir.resolve(expand(String.valueOf(def.get("file")), env)).normalize());
      } else if (def.get("environment") != null) {
        secrets.add("id=" + id + ",env=" + def.get("environment"));
      } else {
        throw new IllegalArgumentException(where + ".secrets: secret \"" + id + "\" is not defined with file: or environment:"
            + " in the top-level secrets section");
      }
    }
    t.put("secret", secrets);
    runSettings(b, where, env, t);
    if (flag(b.get("no_cache"), where + ".no_cache")) {
      t.put("no-cache", true);
    }
    if (flag(b.get("pull"), where + ".pull")) {
      t.put("pull", true);
    }
    return t;
  }

  private static boolean flag(Object o, String where) {
    if (o == null || o instanceof Boolean) {
      return Boolean.TRUE.equals(o);
    }
    throw new IllegalArgumentException(where + ": expected true or false, not \"" + o + "\"");
  }

  /**
   * {@code network}, {@code extra_hosts}, {@code shm_size} and {@code ulimits} of a build section
   * as bake's {@code network}, {@code extra-hosts}, {@code shm-size} and {@code ulimits}, as buildx
   * converts them: every RUN step of that service's build gets them.
   */
  private static void runSettings(Map<?, ?> b, String where, Function<String, String> env, Map<String, Object> t) {
    if (b.get("network") != null) {
      t.put("network", expand(String.valueOf(b.get("network")), env));
    }
    Map<String, String> hosts = new LinkedHashMap<>();
    if (b.get("extra_hosts") instanceof Map<?, ?> m) { // host: address, or host: [addresses]
      m.forEach((k, v) -> hosts.put(String.valueOf(k), String.join(",",
          strings(v, where + ".extra_hosts." + k, env))));
    } else {
      for (String h : strings(b.get("extra_hosts"), where + ".extra_hosts", env)) { // "host:address" or "host=address"
        int sep = h.indexOf('=') > 0 ? h.indexOf('=') : h.indexOf(':');
        if (sep <= 0) {
          throw new IllegalArgumentException(where + ".extra_hosts: \"" + h + "\": expected HOST:IP or HOST=IP");
        }
        hosts.merge(h.substring(0, sep), h.substring(sep + 1), (a, c) -> a + "," + c);
      }
    }
    t.put("extra-hosts", hosts);
    if (b.get("shm_size") != null) { // bytes as a number, or a string with a unit ("2gb", "64m")
      t.put("shm-size", expand(String.valueOf(b.get("shm_size")), env));
    }
    List<String> ulimits = new ArrayList<>();
    map(b.get("ulimits"), where + ".ulimits").forEach((k, v) -> {
      if (v instanceof Map<?, ?> sh) { // name: {soft: N, hard: M}
        if (sh.get("soft") == null || sh.get("hard") == null) {
          throw new IllegalArgumentException(where + ".ulimits." + k + ": expected a number or soft: and hard:");
        }
        ulimits.add(k + "=" + sh.get("soft") + ":" + sh.get("hard"));
      } else { // name: N, both limits
        ulimits.add(k + "=" + v);
      }
    });
    t.put("ulimits", ulimits);
  }

  private static String expand(String s, Function<String, String> env) {
    return Interpolation.expand(s, env);
  }

  /** A mapping or a list of KEY=VALUE; a list entry without value takes the environment's (args only). */
  private static Map<String, String> pairs(Object o, String where, Function<String, String> env, boolean fromEnv) {
    Map<String, String> out = new LinkedHashMap<>();
    if (o == null) {
      return out;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? nullToEnv(String.valueOf(k), env, fromEnv) : expand(String.valueOf(v), env)));
      out.values().removeIf(v -> v == null);
      return out;
    }
    if (!(o instanceof List<?>)) {
      throw new IllegalArgumentException(where + ": expected a mapping or a list of KEY=VALUE");
    }
    for (Object item : list(o, where)) {
      String s = String.valueOf(item);
      int eq = s.indexOf('=');
      if (eq < 0) {
        String v = nullToEnv(s, env, fromEnv);
        if (v != null) {
          out.put(s, v);
        }
      } else {
        out.put(s.substring(0, eq), expand(s.substring(eq + 1), env));
      }
    }
    return out;
  }

  private static String nullToEnv(String key, Function<String, String> env, boolean fromEnv) {
    return fromEnv ? env.apply(key) : "";
  }

  private static List<String> strings(Object o, String where, Function<String, String> env) {
    List<String> out = new ArrayList<>();
    for (Object item : list(o, where)) {
      out.add(expand(String.valueOf(item), env));
    }
    return out;
  }

  private static List<?> list(Object o, String where) {
    if (o == null) {
      return List.of();
    }
    if (o instanceof List<?> l) {
      return l;
    }
    if (o instanceof String s) {
      return List.of(s);
    }
    throw new IllegalArgumentException(where + ": expected a list");
  }

  private static Map<?, ?> map(Object o, String where) {
    if (o == null) {
      return Map.of();
    }
    if (o instanceof Map<?, ?> m) {
      return m;
    }
    throw new IllegalArgumentException(where + ": expected a mapping");
  }
}
