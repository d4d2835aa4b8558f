package dev.jbuild.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** {@code --build-context} and {@code --no-cache-filter}: checked here, applied by the frontend. */
final class FrontendFlags {
  List<String> buildContexts = new ArrayList<>();
  List<String> noCacheFilter = new ArrayList<>();

  /** The options, bound to this object. */
  CommandSpec mixin() {
    return CommandSpecs.mixin(
        CommandSpecs.strings(() -> buildContexts, v -> buildContexts = v, "--build-context").paramLabel("NAME=VALUE")
            .description("Additional build context: a directory, docker-image://REF, oci-layout://DIR[:TAG][@DIGEST],"
                + " target:STAGE, an http(s) or git URL.").build(),
        CommandSpecs.strings(() -> noCacheFilter, v -> noCacheFilter = v, "--no-cache-filter").paramLabel("STAGE")
            .splitRegex(",").description("Do not use the cache for these stages.").build());
  }

  /** Named contexts by name, values as given; each checked for its form. */
  Map<String, String> namedContexts() throws UserError {
    Map<String, String> out = new LinkedHashMap<>();
    for (String c : buildContexts) {
      int eq = c.indexOf('=');
      if (eq <= 0 || eq == c.length() - 1) {
        throw new UserError("--build-context " + c + ": invalid context value, expected NAME=VALUE");
      }
      String name = c.substring(0, eq).strip();
      String value = c.substring(eq + 1).strip();
      if (value.startsWith("docker-image://")) {
        Outputs.reference(value.substring("docker-image://".length()), "--build-context " + name + ": invalid image");
      } else if (!value.contains("://") && !value.startsWith("target:") && !value.startsWith("git@")
          && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(value))) {
        throw new UserError("--build-context " + c + ": \"" + value + "\" is not a directory");
      }
      if (out.put(name, value) != null) {
        throw new UserError("--build-context " + name + " is given twice");
      }
    }
    return out;
  }

  /**
   * The request with the named contexts and no-cache stages (only checks them when {@code request} is null).
   */
  dev.jbuild.frontend.BuildRequest apply(dev.jbuild.frontend.BuildRequest request, boolean noCache) throws UserError {
    Map<String, dev.jbuild.frontend.NamedContext> named = new LinkedHashMap<>();
    for (Map.Entry<String, String> c : namedContexts().entrySet()) {
      try {
        named.put(c.getKey(), dev.jbuild.frontend.NamedContext.parse(c.getValue(), java.nio.file.Path.of("")));
      } catch (IllegalArgumentException e) {
        throw new UserError("--build-context " + c.getKey() + "=" + c.getValue() + ": " + e.getMessage());
      }
    }
    List<String> stages = noCacheStages(noCache);
    return request == null ? null : request.withNamedContexts(named).withNoCacheStages(new java.util.LinkedHashSet<>(stages));
  }

  List<String> noCacheStages(boolean noCache) throws UserError {
    List<String> stages = noCacheFilter.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (noCache && !stages.isEmpty()) {
      throw new UserError("--no-cache and --no-cache-filter cannot currently be used together");
    }
    return stages;
  }
}
