package dev.jbuild.cli;

import dev.jbuild.frontend.BuildRequest;
import dev.jbuild.frontend.NamedContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --build-context} and {@code --no-cache-filter}: what replaces stages and images, and which stages skip the cache. */
final class BuildContextFlags {
  @Option(names = "--build-context", paramLabel = "NAME=DIR|docker-image://REF|oci-layout://PATH[:TAG|@DIGEST]",
      description = "Named context: replaces the stage or image NAME in FROM, COPY --from and RUN --mount=from. Repeatable.")
  List<String> contexts = new ArrayList<>();

  @Option(names = "--no-cache-filter", paramLabel = "STAGE", split = ",",
      description = "Do not use the cache for these stages (and what is built on them).")
  List<String> noCacheStages = new ArrayList<>();

  BuildRequest apply(BuildRequest request) throws UserError {
    Map<String, NamedContext> named = new LinkedHashMap<>();
    for (String c : contexts) {
      int eq = c.indexOf('=');
      if (eq <= 0 || eq == c.length() - 1) {
        throw new UserError("--build-context " + c + ": expected NAME=DIR, NAME=docker-image://REF or NAME=oci-layout://PATH");
      }
      try {
        named.put(c.substring(0, eq), NamedContext.parse(c.substring(eq + 1), Path.of("")));
      } catch (IllegalArgumentException e) {
        throw new UserError("--build-context " + c + ": " + e.getMessage());
      }
    }
    for (String s : noCacheStages) {
      if (s.isBlank()) {
        throw new UserError("--no-cache-filter: expected stage names");
      }
    }
    return request.withNamedContexts(named).withNoCacheStages(new LinkedHashSet<>(noCacheStages));
  }
}
