package dev.jbuild.solver.frontend;

import dev.jbuild.platform.Platform;
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
 */
public record BuildRequest(Path contextDir, String dockerfileName, List<Platform> platforms,
    Map<String, String> buildArgs, Optional<String> target, Map<String, String> labels,
    Optional<Instant> sourceDateEpoch) {
  public BuildRequest {
    platforms = List.copyOf(platforms);
    buildArgs = Map.copyOf(buildArgs);
    labels = Map.copyOf(labels);
  }
}
