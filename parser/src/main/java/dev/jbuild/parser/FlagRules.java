package dev.jbuild.parser;

import java.util.Map;

/** Which flags each instruction accepts, and of what kind (as BuildKit's BFlags). */
final class FlagRules {
  enum Type {
    /** {@code --link} or {@code --link=true|false} */
    BOOL,
    /** {@code --from=x}, at most once */
    STRING,
    /** {@code --mount=…}, any number of times */
    REPEATABLE
  }

  private static final Map<String, Type> NONE = Map.of();
  private static final Map<String, Type> FROM = Map.of("platform", Type.STRING);
  private static final Map<String, Type> RUN = Map.of(
      "mount", Type.REPEATABLE, "network", Type.STRING, "security", Type.STRING,
      "device", Type.REPEATABLE);
  private static final Map<String, Type> COPY = Map.of(
      "from", Type.STRING, "chown", Type.STRING, "chmod", Type.STRING, "link", Type.BOOL,
      "parents", Type.BOOL, "exclude", Type.REPEATABLE);
  private static final Map<String, Type> ADD = Map.of(
      "chown", Type.STRING, "chmod", Type.STRING, "link", Type.BOOL, "keep-git-dir", Type.BOOL,
      "checksum", Type.STRING, "exclude", Type.REPEATABLE, "unpack", Type.BOOL);
  private static final Map<String, Type> HEALTHCHECK = Map.of(
      "interval", Type.STRING, "timeout", Type.STRING, "start-period", Type.STRING,
      "start-interval", Type.STRING, "retries", Type.STRING);

  private FlagRules() {}

  static Map<String, Type> of(Keyword keyword) {
    switch (keyword) {
      case FROM:
        return FROM;
      case RUN:
        return RUN;
      case COPY:
        return COPY;
      case ADD:
        return ADD;
      case HEALTHCHECK:
        return HEALTHCHECK;
      default:
        return NONE;
    }
  }
}
