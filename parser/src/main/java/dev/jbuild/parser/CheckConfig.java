package dev.jbuild.parser;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code # check=} parser directive (or the {@code BUILDKIT_DOCKERFILE_CHECK} build argument,
 * which has the same syntax): {@code skip=Rule1,Rule2} or {@code skip=all}, and {@code error=true}
 * to fail the build when any check is violated, separated by {@code ;}.
 *
 * @param skip rule names to skip (case-sensitive, as BuildKit); may contain {@code all}
 * @param error whether violations fail the build
 */
public record CheckConfig(Set<String> skip, boolean error) {
  public static final CheckConfig DEFAULT = new CheckConfig(Set.of(), false);

  public CheckConfig {
    skip = Set.copyOf(skip);
  }

  /** Whether the rule is checked. */
  public boolean checks(String rule) {
    return !skip.contains("all") && !skip.contains(rule);
  }

  /**
   * Parses a directive value such as {@code skip=JSONArgsRecommended;error=true}.
   *
   * @throws IllegalArgumentException for an unknown key or a value that is not a boolean
   */
  public static CheckConfig parse(String value) {
    Set<String> skip = new LinkedHashSet<>();
    boolean error = false;
    for (String part : value.split(";")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("invalid check option \"" + p + "\": expected key=value");
      }
      String key = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String val = p.substring(eq + 1).strip();
      switch (key) {
        case "skip":
          for (String rule : val.split(",")) {
            if (!rule.isBlank()) {
              skip.add(rule.strip());
            }
          }
          break;
        case "error":
          error = parseBool(val);
          break;
        case "experimental":
          break; // no experimental rules here: accepted and ignored
        default:
          throw new IllegalArgumentException("invalid check option \"" + key
              + "\": expected skip, error or experimental");
      }
    }
    return new CheckConfig(skip, error);
  }

  /** The configuration the Dockerfile's {@code # check=} directive asks for. */
  public static CheckConfig of(Dockerfile dockerfile) throws DockerfileException {
    String value = dockerfile.directives().get("check");
    if (value == null) {
      return DEFAULT;
    }
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new DockerfileException(dockerfile.fileName(), SourceRange.at(1, 1),
          "check directive: " + e.getMessage(), java.util.List.of());
    }
  }

  private static boolean parseBool(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "true": case "1": case "t":
        return true;
      case "false": case "0": case "f":
        return false;
      default:
        throw new IllegalArgumentException("invalid boolean value \"" + s + "\" for error");
    }
  }
}
