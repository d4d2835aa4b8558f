package dev.jbuild.frontend;

import dev.jbuild.parser.ArgScopes;
import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.Instruction;
import dev.jbuild.platform.Platform;
import java.util.LinkedHashMap;
import java.util.Map;

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

  private void putPlatformArgs(String prefix, Platform p) {
    automatic.put(prefix + "PLATFORM", p.toString());
    automatic.put(prefix + "OS", p.os());
    automatic.put(prefix + "ARCH", p.architecture());
    automatic.put(prefix + "VARIANT", p.variant());
  }

  /** A name as FROM sees it (null when unset). */
  String lookup(String name) {
    return ArgScopes.fromLookup(automatic, globals, name);
  }

}
