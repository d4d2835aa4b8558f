package dev.jbuild.registry;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads registry settings from a TOML file in the syntax of buildkitd.toml, so an existing
 * buildkitd.toml works as it is (its other sections are ignored):
 *
 * <pre>
 * [registry."docker.io"]
 *   mirrors = ["127.0.0.1:5001", "mirror.example.com"]   # tried in order before docker.io, for pulls
 * [registry."build-cache.internal:5000"]
 *   http = true        # plain HTTP
 *   insecure = true    # HTTPS without certificate verification
 * </pre>
 *
 * Credentials never go in this file: they come from the Docker config ({@code docker login}).
 */
public final class RegistryConfigFile {
  private RegistryConfigFile() {}

  /**
   * Applies the file's settings to {@code base}.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it is not valid (the message names the file and the key)
   */
  public static RegistryConfig load(Path file, RegistryConfig base) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    JsonNode root;
    try {
      root = new TomlMapper().readTree(bytes);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + ": not valid TOML: " + e.getOriginalMessage(), e);
    }
    JsonNode registries = root.path("registry");
    if (registries.isMissingNode()) {
      return base;
    }
    if (!registries.isObject()) {
      throw new IllegalArgumentException(file + ": registry must be a table: [registry.\"host\"]");
    }
    RegistryConfig config = base;
    Set<String> insecure = new LinkedHashSet<>(base.insecureHosts());
    for (Iterator<Map.Entry<String, JsonNode>> it = registries.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String host = normaliseHost(e.getKey());
      JsonNode settings = e.getValue();
      String where = file + ": [registry.\"" + e.getKey() + "\"]";
      if (!settings.isObject()) {
        throw new IllegalArgumentException(where + " must be a table");
      }
      if (flag(settings, "http", where) || flag(settings, "insecure", where)) {
        insecure.add(host);
      }
      JsonNode mirrors = settings.path("mirrors");
      if (!mirrors.isMissingNode()) {
        if (!mirrors.isArray()) {
          throw new IllegalArgumentException(where + ": mirrors must be a list of hosts, e.g. [\"127.0.0.1:5001\"]");
        }
        List<String> hosts = new ArrayList<>();
        for (JsonNode m : mirrors) {
          String mirror = mirrorHost(m.asText(), where);
          hosts.add(mirror);
          if (m.asText().startsWith("http://")) {
            insecure.add(mirror); // the scheme says plain HTTP
          }
        }
        config = config.withMirrors(host, hosts);
      }
    }
    return config.withInsecureHosts(insecure);
  }

  private static boolean flag(JsonNode settings, String key, String where) {
    JsonNode v = settings.path(key);
    if (v.isMissingNode()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(where + ": " + key + " must be true or false");
    }
    return v.asBoolean();
  }

  /** {@code docker.io}'s other spellings mean docker.io, as in references. */
  private static String normaliseHost(String host) {
    return switch (host) {
      case "index.docker.io", "registry-1.docker.io" -> ImageReference.DOCKER_HUB;
      default -> host;
    };
  }

  private static String mirrorHost(String m, String where) {
    String host = m.replaceFirst("^https?://", "");
    if (host.endsWith("/")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty() || host.contains("/")) {
      throw new IllegalArgumentException(where + ": mirror \"" + m
          + "\" must be a host[:port] (mirrors with a path are not supported)");
    }
    return host;
  }
}
