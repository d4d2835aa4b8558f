package dev.jbuild.frontend;

import dev.jbuild.platform.Platform;
import dev.jbuild.solver.PathFilter;
import dev.jbuild.solver.RunOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What to build: a Dockerfile against a context, for one or more platforms.
 *
 * @param buildArgs {@code --build-arg} values (already resolved from the environment when given without value)
 * @param labels {@code --label} values; they override the Dockerfile's labels
 * @param sourceDateEpoch SOURCE_DATE_EPOCH: clamps created times in history and config
 * @param contextFilter what {@code .dockerignore} leaves out of the context
 * @param runOptions network, entitlements, secrets and ssh agents for RUN steps
 * @param namedContexts {@code --build-context} by name: they replace stages and images of that name
 * @param noCacheStages {@code --no-cache-filter}: stages (names, case-insensitive) whose steps ignore the cache
 */
public record BuildRequest(Path contextDir, String dockerfileName, List<Platform> platforms,
    Map<String, String> buildArgs, Optional<String> target, Map<String, String> labels,
    Optional<Instant> sourceDateEpoch, PathFilter contextFilter, RunOptions runOptions,
    Map<String, NamedContext> namedContexts, Set<String> noCacheStages) {
  public BuildRequest {
    platforms = List.copyOf(platforms);
    buildArgs = Map.copyOf(buildArgs);
    labels = Map.copyOf(labels);
    namedContexts = Map.copyOf(namedContexts);
    noCacheStages = noCacheStages.stream().map(s -> s.toLowerCase(java.util.Locale.ROOT))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  public BuildRequest(Path contextDir, String dockerfileName, List<Platform> platforms,
      Map<String, String> buildArgs, Optional<String> target, Map<String, String> labels,
      Optional<Instant> sourceDateEpoch, PathFilter contextFilter, RunOptions runOptions) {
    this(contextDir, dockerfileName, platforms, buildArgs, target, labels, sourceDateEpoch, contextFilter, runOptions,
        Map.of(), Set.of());
  }

  /** A request with nothing ignored in the context. */
  public BuildRequest(Path contextDir, String dockerfileName, List<Platform> platforms,
      Map<String, String> buildArgs, Optional<String> target, Map<String, String> labels,
      Optional<Instant> sourceDateEpoch) {
    this(contextDir, dockerfileName, platforms, buildArgs, target, labels, sourceDateEpoch, PathFilter.NONE,
        RunOptions.DEFAULT);
  }

  public BuildRequest withContextFilter(PathFilter filter) {
    return new BuildRequest(contextDir, dockerfileName, platforms, buildArgs, target, labels, sourceDateEpoch, filter,
        runOptions, namedContexts, noCacheStages);
  }

  public BuildRequest withNamedContexts(Map<String, NamedContext> contexts) {
    return new BuildRequest(contextDir, dockerfileName, platforms, buildArgs, target, labels, sourceDateEpoch,
        contextFilter, runOptions, contexts, noCacheStages);
  }

  public BuildRequest withNoCacheStages(Set<String> stages) {
    return new BuildRequest(contextDir, dockerfileName, platforms, buildArgs, target, labels, sourceDateEpoch,
        contextFilter, runOptions, namedContexts, stages);
  }

  public BuildRequest withRunOptions(RunOptions options) {
    return new BuildRequest(contextDir, dockerfileName, platforms, buildArgs, target, labels, sourceDateEpoch,
        contextFilter, options, namedContexts, noCacheStages);
  }
}
