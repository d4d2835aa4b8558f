package dev.jbuild.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One {@code --cache-to} or {@code --cache-from} value in BuildKit's syntax:
 * {@code type=local,dest=DIR[,mode=min|max]}, {@code type=local,src=DIR},
 * {@code type=registry,ref=REF[,mode=max]}, {@code type=inline}; a bare {@code REF} means
 * {@code type=registry,ref=REF}.
 */
record CacheSpec(String type, Map<String, String> attrs) {
  enum Direction {
    TO("--cache-to"), FROM("--cache-from");

    final String flag;

    Direction(String flag) {
      this.flag = flag;
    }
  }

  private static final Set<String> TO_KEYS = Set.of("type", "dest", "ref", "mode", "compression", "tag", "ignore-error",
      "oci-mediatypes", "image-manifest");
  private static final Set<String> FROM_KEYS = Set.of("type", "src", "ref", "tag");

  String mode() {
    return attrs.getOrDefault("mode", "min");
  }

  boolean ignoreError() {
    return "true".equals(attrs.get("ignore-error"));
  }

  String compression() {
    return attrs.getOrDefault("compression", "gzip");
  }

  String tag() {
    return attrs.getOrDefault("tag", "latest");
  }

  static CacheSpec parse(String value, Direction dir) throws UserError {
    String flag = dir.flag + " " + value;
    Map<String, String> attrs = new LinkedHashMap<>();
    if (!value.contains("=")) {
      if (value.isBlank()) {
        throw new UserError(dir.flag + ": empty value (expected type=local|registry|inline,…)");
      }
      attrs.put("type", "registry");
      attrs.put("ref", value);
    } else {
      for (String field : value.split(",")) {
        int eq = field.indexOf('=');
        if (eq <= 0) {
          throw new UserError(flag + ": \"" + field + "\" is not KEY=VALUE");
        }
        attrs.put(field.substring(0, eq).strip(), field.substring(eq + 1).strip());
      }
    }
    String type = attrs.get("type");
    if (type == null) {
      throw new UserError(flag + ": missing type= (local, registry or inline)");
    }
    for (String k : attrs.keySet()) {
      if (!(dir == Direction.TO ? TO_KEYS : FROM_KEYS).contains(k)) {
        throw new UserError(flag + ": unknown option " + k);
      }
    }
    switch (type) {
      case "local" -> require(attrs, dir == Direction.TO ? "dest" : "src", flag);
      case "registry" -> {
        require(attrs, "ref", flag);
        try {
          dev.jbuild.registry.ImageReference.parse(attrs.get("ref"));
        } catch (IllegalArgumentException e) {
          throw new UserError(flag + ": " + e.getMessage());
        }
      }
      case "inline" -> throw new UserError(flag + ": type=inline is not supported by jbuild yet (use type=registry or type=local)");
      default -> throw new UserError(flag + ": type=" + type + " is not supported by jbuild (supported: local, registry)");
    }
    String mode = attrs.getOrDefault("mode", "min");
    if (!mode.equals("min") && !mode.equals("max")) {
      throw new UserError(flag + ": mode must be min or max");
    }
    String compression = attrs.getOrDefault("compression", "gzip");
    if (!compression.equals("gzip") && !compression.equals("uncompressed")) {
      throw new UserError(flag + ": compression must be gzip or uncompressed for cache exports (an importer must be"
          + " able to check every layer against its diff id)");
    }
    for (String k : new String[] {"oci-mediatypes", "image-manifest"}) {
      if ("false".equals(attrs.get(k))) {
        throw new UserError(flag + ": " + k + "=false is not supported (jbuild exports caches as OCI image manifests)");
      }
    }
    return new CacheSpec(type, Map.copyOf(attrs));
  }

  private static void require(Map<String, String> attrs, String key, String flag) throws UserError {
    if (attrs.getOrDefault(key, "").isBlank()) {
      throw new UserError(flag + ": type=" + attrs.get("type") + " needs " + key + "=");
    }
  }
}
