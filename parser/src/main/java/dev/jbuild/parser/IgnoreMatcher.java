package dev.jbuild.parser;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * {@code .dockerignore} rules with the semantics of Docker's pattern matcher: one pattern per
 * line, {@code #} comment lines, {@code !} re-includes, paths cleaned and relative to the
 * context root, {@code *} and {@code ?} never cross {@code /}, {@code **} matches any number of
 * directories, {@code \} escapes, and a path is excluded when it or one of its parent
 * directories matches (the last matching pattern wins). Immutable and thread-safe.
 */
public final class IgnoreMatcher {
  private record Rule(String pattern, boolean exception, PathPattern compiled) {}

  private static final IgnoreMatcher NONE = new IgnoreMatcher(List.of());

  private final List<Rule> rules;

  private IgnoreMatcher(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** A matcher that excludes nothing (no {@code .dockerignore}). */
  public static IgnoreMatcher none() {
    return NONE;
  }

  /**
   * Reads a {@code .dockerignore} file.
   *
   * @throws DockerfileException for a pattern that cannot be compiled, located at its line
   */
  public static IgnoreMatcher parse(String fileName, String text) throws DockerfileException {
    String body = text == null ? "" : text;
    if (body.startsWith("\uFEFF")) {
      body = body.substring(1);
    }
    SourceText source = new SourceText(fileName == null ? ".dockerignore" : fileName, body);
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < source.lineCount(); i++) {
      String line = source.lines.get(i);
      if (line.startsWith("#")) {
        continue;
      }
      String pattern = line.strip();
      if (pattern.isEmpty()) {
        continue;
      }
      try {
        rules.add(rule(pattern));
      } catch (PatternSyntaxException e) {
        throw source.error(source.lineRange(i), "invalid pattern \"" + pattern + "\": "
            + e.getDescription());
      }
    }
    return new IgnoreMatcher(rules);
  }

  /**
   * Builds a matcher from patterns as they would appear in the file (one per element).
   *
   * @throws IllegalArgumentException for a pattern that cannot be compiled
   */
  public static IgnoreMatcher of(List<String> patterns) {
    List<Rule> rules = new ArrayList<>();
    for (String p : patterns) {
      String pattern = p.strip();
      if (pattern.isEmpty() || pattern.startsWith("#")) {
        continue;
      }
      try {
        rules.add(rule(pattern));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("invalid pattern \"" + pattern + "\": " + e.getDescription(), e);
      }
    }
    return new IgnoreMatcher(rules);
  }

  /** The normalised patterns, exceptions prefixed with {@code !}, in file order. */
  public List<String> patterns() {
    return rules.stream().map(r -> r.exception ? "!" + r.pattern : r.pattern).toList();
  }

  /**
   * Whether some {@code !} pattern exists; when none does, an excluded directory can be skipped
   * without looking inside it.
   */
  public boolean hasExceptions() {
    return rules.stream().anyMatch(Rule::exception);
  }

  /**
   * Whether a path of the build context is excluded.
   *
   * @param path relative to the context root, {@code /}-separated ({@code ./} and a leading
   *     {@code /} are accepted)
   */
  public boolean excludes(String path) {
    String file = clean(path);
    if (file.startsWith("/")) {
      file = file.length() > 1 ? file.substring(1) : ".";
    }
    int slash = file.lastIndexOf('/');
    String[] parents = slash < 0 ? new String[0] : file.substring(0, slash).split("/");
    boolean matched = false;
    for (Rule rule : rules) {
      // An exception can only change an excluded path, a pattern only an included one.
      if (rule.exception != matched) {
        continue;
      }
      boolean match = rule.compiled.matches(file);
      StringBuilder parent = new StringBuilder();
      for (int i = 0; !match && i < parents.length; i++) {
        if (i > 0) {
          parent.append('/');
        }
        parent.append(parents[i]);
        match = rule.compiled.matches(parent);
      }
      if (match) {
        matched = !rule.exception;
      }
    }
    return matched;
  }

  private static Rule rule(String line) {
    boolean exception = line.startsWith("!");
    String pattern = exception ? line.substring(1).strip() : line;
    if (exception && pattern.isEmpty()) {
      // As Docker's pattern matcher: "!" alone would re-include nothing.
      throw new PatternSyntaxException("illegal exclusion pattern: \"!\" (a ! needs a pattern after it)", line, 0);
    }
    if (!pattern.isEmpty()) {
      pattern = clean(pattern);
      if (pattern.length() > 1 && pattern.charAt(0) == '/') {
        pattern = pattern.substring(1);
      }
    }
    return new Rule(pattern, exception, PathPattern.compile(pattern));
  }

  /** Go's filepath.Clean for {@code /}-separated paths. */
  static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.startsWith("/");
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
          parts.removeLast();
        } else if (!rooted) {
          parts.addLast(part);
        }
        continue;
      }
      parts.addLast(part);
    }
    String joined = String.join("/", parts);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }
}
