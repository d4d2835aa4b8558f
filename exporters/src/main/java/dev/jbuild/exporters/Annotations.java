package dev.jbuild.exporters;

import dev.jbuild.platform.Platform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * OCI annotations for an image output, as buildx takes them: {@code --annotation
 * [TYPE[,TYPE…]][\[PLATFORM\]]:KEY=VALUE} and the output attributes {@code annotation.KEY=VALUE},
 * {@code annotation-TYPE[\[PLATFORM\]].KEY=VALUE}. Without a type an annotation goes on the
 * manifests. A platform limits it to that platform's manifest (or descriptor).
 */
public record Annotations(List<Entry> entries) {
  public static final Annotations NONE = new Annotations(List.of());

  /** Where an annotation goes. */
  public enum Target {
    /** the image index document */
    INDEX("index"),
    /** each platform's image manifest document */
    MANIFEST("manifest"),
    /** each manifest's descriptor in the index */
    MANIFEST_DESCRIPTOR("manifest-descriptor"),
    /** the root's descriptor in an OCI layout's {@code index.json} */
    INDEX_DESCRIPTOR("index-descriptor");

    final String spelling;

    Target(String spelling) {
      this.spelling = spelling;
    }

    static Target parse(String s) {
      for (Target t : values()) {
        if (t.spelling.equals(s)) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown annotation type \"" + s
          + "\" (use index, manifest, manifest-descriptor or index-descriptor)");
    }
  }

  public record Entry(Target target, Optional<Platform> platform, String key, String value) {}

  public Annotations {
    entries = List.copyOf(entries);
  }

  /** Parses {@code --annotation} values. */
  public static Annotations parseFlags(List<String> flags) {
    List<Entry> out = new ArrayList<>();
    for (String f : flags) {
      int eq = f.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--annotation " + f + ": expected [TYPE:]KEY=VALUE");
      }
      String left = f.substring(0, eq);
      String value = f.substring(eq + 1);
      // A key may itself contain ':' (rare), so a prefix is only one made of known types.
      int colon = left.indexOf(':');
      String prefix = colon < 0 ? "" : left.substring(0, colon);
      String key = left;
      List<Target> targets = List.of(Target.MANIFEST);
      Optional<Platform> platform = Optional.empty();
      if (colon > 0 && looksLikeTypes(prefix)) {
        key = left.substring(colon + 1);
        String types = prefix;
        int bracket = prefix.indexOf('[');
        if (bracket >= 0) {
          platform = Optional.of(platform(prefix.substring(bracket), "--annotation " + f));
          types = prefix.substring(0, bracket);
        }
        targets = new ArrayList<>();
        for (String t : types.split(",")) {
          targets.add(parseTarget(t.trim(), "--annotation " + f));
        }
      }
      if (key.isEmpty()) {
        throw new IllegalArgumentException("--annotation " + f + ": missing the key");
      }
      for (Target t : targets) {
        out.add(new Entry(t, platform, key, value));
      }
    }
    return new Annotations(out);
  }

  private static boolean looksLikeTypes(String prefix) {
    return prefix.matches("[a-z,\\-]+(\\[[^\\]]*\\])?") && !prefix.contains(".");
  }

  /**
   * Takes the annotation attributes out of an output's attributes ({@code annotation.K},
   * {@code annotation-TYPE.K}, {@code annotation[PLATFORM].K}, {@code annotation-TYPE[PLATFORM].K}).
   */
  public static Annotations fromAttributes(Map<String, String> attrs, String output) {
    List<Entry> out = new ArrayList<>();
    for (Map.Entry<String, String> a : attrs.entrySet()) {
      String k = a.getKey();
      if (!k.startsWith("annotation")) {
        continue;
      }
      String rest = k.substring("annotation".length());
      Target target = Target.MANIFEST;
      if (rest.startsWith("-")) {
        int end = indexOfAny(rest, '[', '.');
        if (end < 0) {
          throw new IllegalArgumentException(output + ": " + k + " has no key (annotation-TYPE.KEY=VALUE)");
        }
        target = parseTarget(rest.substring(1, end), output + ": " + k);
        rest = rest.substring(end);
      }
      Optional<Platform> platform = Optional.empty();
      if (rest.startsWith("[")) {
        int close = rest.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException(output + ": " + k + " has an unclosed [platform]");
        }
        platform = Optional.of(platform(rest.substring(0, close + 1), output + ": " + k));
        rest = rest.substring(close + 1);
      }
      if (!rest.startsWith(".") || rest.length() == 1) {
        throw new IllegalArgumentException(output + ": " + k + " is not annotation[-TYPE][[PLATFORM]].KEY");
      }
      out.add(new Entry(target, platform, rest.substring(1), a.getValue()));
    }
    return new Annotations(out);
  }

  private static int indexOfAny(String s, char a, char b) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == a || s.charAt(i) == b) {
        return i;
      }
    }
    return -1;
  }

  private static Target parseTarget(String s, String where) {
    try {
      return Target.parse(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  private static Platform platform(String bracketed, String where) {
    String inner = bracketed.substring(1, bracketed.length() - 1);
    try {
      return Platform.parse(inner);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": bad platform \"" + inner + "\": " + e.getMessage());
    }
  }

  public Annotations plus(Annotations other) {
    List<Entry> all = new ArrayList<>(entries);
    all.addAll(other.entries);
    return new Annotations(all);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public boolean has(Target target) {
    return entries.stream().anyMatch(e -> e.target() == target);
  }

  /** The annotations for {@code target}, for one platform's document or for all (platform empty). */
  Map<String, String> forTarget(Target target, Optional<Platform> of) {
    Map<String, String> out = new TreeMap<>();
    // platform-less first so a platform-specific value wins
    for (boolean specific : new boolean[] {false, true}) {
      for (Entry e : entries) {
        if (e.target() == target && e.platform().isPresent() == specific
            && (e.platform().isEmpty() || of.map(p -> sameKind(p, e.platform().get())).orElse(false))) {
          out.put(e.key(), e.value());
        }
      }
    }
    return out;
  }

  private static boolean sameKind(Platform a, Platform b) {
    return Platform.normalise(a.os(), a.architecture(), a.variant())
        .equals(Platform.normalise(b.os(), b.architecture(), b.variant()));
  }

  /** For messages: {@code index:k=v}. */
  static Map<String, String> describe(List<Entry> entries) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Entry e : entries) {
      out.put(e.target().spelling + e.platform().map(p -> "[" + p + "]").orElse("") + ":" + e.key(), e.value());
    }
    return out;
  }
}
