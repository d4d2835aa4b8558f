package dev.jbuild.parser;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BuildKit's ARG scoping rules, in one place for the frontend (which knows the values) and the
 * linter (which often does not): which args exist without an ARG, and what a FROM line sees —
 * which is also what a stage ARG without a default takes.
 */
public final class ArgScopes {
  /** The automatic platform args: FROM lines see them; a stage only when it redeclares them. */
  public static final List<String> AUTOMATIC_ARGS = List.of("BUILDPLATFORM", "BUILDOS", "BUILDARCH",
      "BUILDVARIANT", "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT");

  /**
   * BuildKit's predefined proxy args: given with {@code --build-arg}, RUN sees them without an
   * ARG, and they stay out of the config and the history.
   */
  public static final Set<String> PROXY_ARGS = Set.of("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
      "ftp_proxy", "FTP_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY");

  private ArgScopes() {}

  public static boolean isAutomaticArg(String name) {
    return AUTOMATIC_ARGS.contains(name);
  }

  /** Args that exist without an ARG: never reported as unused. */
  public static boolean isPredefinedArg(String name) {
    return isAutomaticArg(name) || PROXY_ARGS.contains(name);
  }

  /**
   * A name as FROM sees it: a global ARG (declared before the first FROM, even when it has no
   * value) hides the automatic arg of the same name. Null when neither has it.
   */
  public static <V> V fromLookup(Map<String, V> automatic, Map<String, V> globals, String name) {
    return globals.containsKey(name) ? globals.get(name) : automatic.get(name);
  }

  /** Everything FROM sees, by {@link #fromLookup}'s rule: the automatic args, then the global ARGs. */
  public static <V> Map<String, V> fromScope(Map<String, V> automatic, Map<String, V> globals) {
    Map<String, V> scope = new LinkedHashMap<>(automatic);
    scope.putAll(globals);
    return scope;
  }
}
