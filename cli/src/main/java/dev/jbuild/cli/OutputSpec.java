package dev.jbuild.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** One {@code -o/--output} value: {@code type=oci,dest=out.tar} (CSV of key=value) or a bare path. */
record OutputSpec(String type, Map<String, String> attrs) {
  static OutputSpec parse(String spec) {
    Map<String, String> attrs = new LinkedHashMap<>();
    if (!spec.contains("=")) {
      // buildx: a bare path means a local export; "-" means tar to stdout
      attrs.put("dest", spec);
      return new OutputSpec(spec.equals("-") ? "tar" : "local", attrs);
    }
    for (String part : spec.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("invalid value \"" + part + "\" in --output " + spec + ": expected key=value");
      }
      attrs.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    String type = attrs.remove("type");
    if (type == null) {
      throw new IllegalArgumentException("--output " + spec + " has no type= (e.g. type=oci,dest=out.tar)");
    }
    return new OutputSpec(type, attrs);
  }

  boolean flag(String key) {
    return "true".equalsIgnoreCase(attrs.getOrDefault(key, "false"));
  }
}
