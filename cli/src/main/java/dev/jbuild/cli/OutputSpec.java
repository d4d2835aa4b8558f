package dev.jbuild.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code -o/--output} value: {@code type=oci,dest=out.tar} (CSV of key=value; a field in
 * double quotes may hold commas, as in {@code "name=a:1,a:2"}) or a bare path (a local export;
 * {@code -} is a tar to standard output), as buildx reads it.
 */
record OutputSpec(String type, Map<String, String> attrs) {
  OutputSpec {
    attrs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
  }

  static OutputSpec parse(String spec) {
    Map<String, String> attrs = new LinkedHashMap<>();
    if (!spec.contains("=")) {
      attrs.put("dest", spec);
      return new OutputSpec(spec.equals("-") ? "tar" : "local", attrs);
    }
    List<String> fields;
    try {
      fields = dev.jbuild.parser.CsvFields.split(spec);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--output " + spec + ": " + e.getMessage(), e);
    }
    for (String part : fields) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("invalid value \"" + part + "\" in --output " + spec + ": expected key=value");
      }
      String key = part.substring(0, eq).trim();
      if (attrs.containsKey(key)) {
        throw new IllegalArgumentException("--output " + spec + " sets " + key + " twice");
      }
      attrs.put(key, part.substring(eq + 1).trim());
    }
    String type = attrs.remove("type");
    if (type == null) {
      throw new IllegalArgumentException("--output " + spec + " has no type= (e.g. type=oci,dest=out.tar)");
    }
    return new OutputSpec(type, attrs);
  }

  OutputSpec with(String key, String value) {
    Map<String, String> a = new LinkedHashMap<>(attrs);
    a.put(key, value);
    return new OutputSpec(type, a);
  }

  /** A true/false attribute; anything else is a mistake worth reporting. */
  boolean flag(String key, boolean orElse) {
    String v = attrs.get(key);
    if (v == null) {
      return orElse;
    }
    if (v.isEmpty() || v.equalsIgnoreCase("true")) {
      return true; // buildx: "push" alone means push=true
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("--output type=" + type + ": " + key + "=" + v + " must be true or false");
  }

  boolean flag(String key) {
    return flag(key, false);
  }
}
