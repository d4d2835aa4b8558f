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
    for (String part : csvFields(spec)) {
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

  /** Splits on commas outside double quotes; quotes are removed ({@code ""} inside quotes is one quote). */
  private static List<String> csvFields(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < s.length() && s.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == ',' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("--output " + s + ": unterminated quote");
    }
    out.add(cur.toString());
    return out;
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
