package dev.jbuild.frontend;

import dev.jbuild.platform.Platform;
import dev.jbuild.solver.PathFilter;
import dev.jbuild.solver.RunOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to build: a Dockerfile against a context, for one or more platforms.
 *
 * @param buildArgs {@code --build-arg} values (already resolved from the environment when given without value)
 * @param labels {@code --label} values; they override the Dockerfile's labels
 * @param sourceDateEpoch SOURCE_DATE_EPOCH: clamps created times in history and config
 * @param contextFilter what {@code .dockerignore} leaves out of the context
 * @param runOptions network, entitlements, secrets and ssh agents for RUN steps
 */
public record BuildRequest(Path contextDir, String dockerfileName, List<Platform> platforms,
    Map<String, String> buildArgs, Optional<String> target, Map<String, String> labels,
    Optional<Instant> sourceDateEpoch, PathFilter contextFilter, RunOptions runOptions) {
  public BuildRequest {
    platforms = List.copyOf(platforms);
    buildArgs = Map.copyOf(buildArgs);
    labels = Map.copyOf(labels);
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
        runOptions);
  }

  public BuildRequest withRunOptions(RunOptions options) {
    return new BuildRequest(contextDir, dockerfileName, platforms, buildArgs, target, labels, sourceDateEpoch,
        contextFilter, options);
  }
}
