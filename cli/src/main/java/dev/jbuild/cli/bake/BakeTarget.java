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
    List<String> outputs, boolean noCache, boolean pull, RunSettings run) {
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

  /** A target whose RUN steps have the default settings. */
  public BakeTarget(String name, String context, String dockerfile, Map<String, String> args,
      Map<String, String> labels, List<String> tags, List<String> platforms, Optional<String> target,
      List<String> cacheFrom, List<String> cacheTo, List<String> secrets, Map<String, String> contexts,
      List<String> outputs, boolean noCache, boolean pull) {
    this(name, context, dockerfile, args, labels, tags, platforms, target, cacheFrom, cacheTo, secrets, contexts,
        outputs, noCache, pull, RunSettings.DEFAULT);
  }

  /**
   * How this target's RUN steps run, in the values {@code jbuild build} flags take: bake's
   * {@code network}, {@code extra-hosts}, {@code shm-size} and {@code ulimits} (compose's
   * {@code network}, {@code extra_hosts}, {@code shm_size}, {@code ulimits}).
   *
   * @param extraHosts host name → address(es), several comma-separated (as buildx keeps them)
   * @param ulimits {@code NAME=SOFT[:HARD]} each
   */
  public record RunSettings(Optional<String> network, Map<String, String> extraHosts, Optional<String> shmSize,
      List<String> ulimits) {
    public static final RunSettings DEFAULT = new RunSettings(Optional.empty(), Map.of(), Optional.empty(), List.of());

    public RunSettings {
      extraHosts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extraHosts)); // /etc/hosts order
      ulimits = List.copyOf(ulimits);
    }
  }
}
