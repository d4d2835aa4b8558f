package dev.jbuild.cli.bake;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One bake target, resolved (inherits applied, variables expanded, {@code --set} applied): what a
 * {@code jbuild build} command line would say. Paths are as written (relative to the working directory).
 */
public record BakeTarget(String name, String context, String dockerfile, Map<String, String> args,
    Map<String, String> labels, List<String> tags, List<String> platforms, Optional<String> target,
    List<String> cacheFrom, List<String> cacheTo, List<String> secrets, Map<String, String> contexts,
    List<String> outputs, boolean noCache, boolean pull) {
  public BakeTarget {
    args = Map.copyOf(args);
    labels = Map.copyOf(labels);
    tags = List.copyOf(tags);
    platforms = List.copyOf(platforms);
    cacheFrom = List.copyOf(cacheFrom);
    cacheTo = List.copyOf(cacheTo);
    secrets = List.copyOf(secrets);
    contexts = Map.copyOf(contexts);
    outputs = List.copyOf(outputs);
  }
}
