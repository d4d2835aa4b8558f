package dev.jbuild.registry;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to talk to registries.
 *
 * @param insecureHosts    hosts ({@code host} or {@code host:port}) that may be reached over plain
 *                         HTTP or HTTPS with any certificate; loopback hosts always may, as in Docker
 * @param useDockerConfig  whether to read credentials from the Docker config (auths, credsStore,
 *                         credHelpers)
 * @param dockerConfigFile the Docker config to read; empty means {@code $DOCKER_CONFIG/config.json},
 *                         else {@code $HOME/.docker/config.json} (see {@link DockerConfigLocation})
 * @param mirrors          registry name ({@code docker.io}) to mirror hosts tried in order before it,
 *                         for pulls only
 * @param maxAttempts      attempts for idempotent requests that fail transiently (reset, 5xx, 429)
 */
public record RegistryConfig(
    Set<String> insecureHosts,
    boolean useDockerConfig,
    Optional<Path> dockerConfigFile,
    Map<String, List<String>> mirrors,
    int maxAttempts) {

  public RegistryConfig {
    insecureHosts = Set.copyOf(insecureHosts);
    Objects.requireNonNull(dockerConfigFile, "dockerConfigFile");
    Map<String, List<String>> m = new LinkedHashMap<>();
    mirrors.forEach((k, v) -> m.put(k, List.copyOf(v)));
    mirrors = java.util.Collections.unmodifiableMap(m);
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** Docker's defaults: only loopback is insecure, credentials from the Docker config, no mirrors. */
  public static RegistryConfig defaults() {
    return new RegistryConfig(Set.of(), true, Optional.empty(), Map.of(), 4);
  }

  public RegistryConfig withInsecureHosts(Set<String> hosts) {
    return new RegistryConfig(hosts, useDockerConfig, dockerConfigFile, mirrors, maxAttempts);
  }

  /** Reads credentials from this file instead of the user's Docker config. */
  public RegistryConfig withDockerConfigFile(Path file) {
    return new RegistryConfig(insecureHosts, true, Optional.of(file), mirrors, maxAttempts);
  }

  public RegistryConfig withoutCredentials() {
    return new RegistryConfig(insecureHosts, false, dockerConfigFile, mirrors, maxAttempts);
  }

  public RegistryConfig withMirrors(String registry, List<String> mirrorHosts) {
    Map<String, List<String>> m = new LinkedHashMap<>(mirrors);
    m.put(registry, mirrorHosts);
    return new RegistryConfig(insecureHosts, useDockerConfig, dockerConfigFile, m, maxAttempts);
  }

  public RegistryConfig withMaxAttempts(int attempts) {
    return new RegistryConfig(insecureHosts, useDockerConfig, dockerConfigFile, mirrors, attempts);
  }

  /** Whether {@code host[:port]} may be reached over plain HTTP (after HTTPS was tried). */
  public boolean isInsecure(String hostPort) {
    String host = hostOf(hostPort);
    return insecureHosts.contains(hostPort) || insecureHosts.contains(host) || isLoopback(host);
  }

  /** The Docker config file credentials come from. */
  Path effectiveDockerConfigFile() {
    return dockerConfigFile.orElseGet(DockerConfigLocation::file);
  }

  static String hostOf(String hostPort) {
    if (hostPort.startsWith("[")) {
      int end = hostPort.indexOf(']');
      return end < 0 ? hostPort : hostPort.substring(1, end);
    }
    int colon = hostPort.lastIndexOf(':');
    return colon < 0 ? hostPort : hostPort.substring(0, colon);
  }

  static boolean isLoopback(String host) {
    return host.equals("localhost") || host.equals("::1") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }
}
