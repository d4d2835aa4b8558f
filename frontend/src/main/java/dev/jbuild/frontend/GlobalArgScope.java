package dev.jbuild.frontend;

import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.Instruction;
import dev.jbuild.platform.Platform;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The ARG scope FROM lines see for one target platform: the automatic platform args and the
 * global ARGs declared before the first FROM (build args override their defaults). A stage sees
 * these only when it redeclares them.
 */
final class GlobalArgScope {
  private final Map<String, String> automatic = new LinkedHashMap<>();
  private final Map<String, String> globals = new LinkedHashMap<>();

  GlobalArgScope(PlatformPlanner planner, Platform buildPlatform, Platform target) throws DockerfileException {
    putPlatformArgs("BUILD", buildPlatform);
    putPlatformArgs("TARGET", target);
    for (Instruction.Arg a : planner.stages().globalArgs()) {
      for (Instruction.ArgDef d : a.args()) {
        planner.consumed().add(d.name());
        Map<String, String> buildArgs = planner.request().buildArgs();
        String value = buildArgs.containsKey(d.name()) ? buildArgs.get(d.name())
            : d.defaultValue().isPresent() ? planner.expand(d.defaultValue().get(), a, this::lookup) : null;
        globals.put(d.name(), value);
      }
    }
  }

  /**
   * BuildKit's predefined proxy args: given with {@code --build-arg}, RUN sees them without an
   * ARG, and they stay out of the config and the history.
   */
  static final Set<String> PROXY_ARGS = Set.of("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
      "ftp_proxy", "FTP_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY");

  static boolean isAutomaticArg(String name) {
    return name.matches("(BUILD|TARGET)(PLATFORM|OS|ARCH|VARIANT)");
  }

  /** Args that exist without an ARG: never reported as unused. */
  static boolean isPredefinedArg(String name) {
    return isAutomaticArg(name) || PROXY_ARGS.contains(name);
  }

  private void putPlatformArgs(String prefix, Platform p) {
    automatic.put(prefix + "PLATFORM", p.toString());
    automatic.put(prefix + "OS", p.os());
    automatic.put(prefix + "ARCH", p.architecture());
    automatic.put(prefix + "VARIANT", p.variant());
  }

  /** A name as FROM sees it (null when unset). */
  String lookup(String name) {
    return globals.containsKey(name) ? globals.get(name) : automatic.get(name);
  }

}
