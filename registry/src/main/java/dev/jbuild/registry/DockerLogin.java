package dev.jbuild.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code login}/{@code logout} as the docker CLI does them: the credentials are checked against the
 * registry's {@code /v2/} (Basic, or a token from the Bearer realm), then kept in a credential
 * helper when the config names one ({@code credHelpers}, {@code credsStore}), else base64 in
 * {@code auths} of {@code config.json}; other settings in the file are left as they were.
 */
public final class DockerLogin {
  /** Docker Hub's key in config files, as docker writes it. */
  public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private DockerLogin() {}

  /** The key of a registry in config files ({@code docker.io} is Docker Hub's URL). */
  public static String serverKey(String registry) {
    String r = registry.replaceFirst("^https?://", "").replaceFirst("/+$", "");
    return r.isEmpty() || r.equals(ImageReference.DOCKER_HUB) || r.equals("index.docker.io")
        || r.equals(ImageReference.DOCKER_HUB_ENDPOINT) || r.equals("index.docker.io/v1") ? DOCKER_HUB_KEY : r;
  }

  /** Checks user and password against the registry; a RegistryException says why they were refused. */
  public static void verify(RegistryConfig config, String registry, String user, String password) throws RegistryException {
    String host = serverKey(registry).equals(DOCKER_HUB_KEY) ? ImageReference.DOCKER_HUB_ENDPOINT : serverKey(registry);
    String basic = new Credentials(user, password, "login").basicAuthorization();
    // loopback registries are nearly always plain HTTP, and a TLS hello to them may never be answered
    List<String> schemes = !config.isInsecure(host) ? List.of("https")
        : RegistryConfig.isLoopback(RegistryConfig.hostOf(host)) ? List.of("http", "https") : List.of("https", "http");
    IOException last = null;
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();
    for (String scheme : schemes) {
      URI ping = URI.create(scheme + "://" + host + "/v2/");
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(ping).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return; // an open registry accepts anyone, as docker login does
        }
        Optional<AuthChallenge> ch = AuthChallenge.select(r.headers().allValues("WWW-Authenticate"));
        if (r.statusCode() != 401 || ch.isEmpty()) {
          throw new RegistryException(RegistryException.Kind.PROTOCOL, "login attempt to " + ping
              + " failed with status: " + r.statusCode());
        }
        URI check = ping;
        if (ch.get().isBearer()) {
          String realm = ch.get().param("realm").orElseThrow(() -> new RegistryException(RegistryException.Kind.PROTOCOL,
              host + " asks for a bearer token but names no token server (realm)"));
          String service = ch.get().param("service").map(s -> (realm.contains("?") ? "&" : "?") + "service="
              + java.net.URLEncoder.encode(s, StandardCharsets.UTF_8)).orElse("");
          check = URI.create(realm + service);
        }
        HttpResponse<String> auth = client.send(HttpRequest.newBuilder(check).timeout(TIMEOUT)
            .header("Authorization", basic).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (auth.statusCode() == 200) {
          return;
        }
        throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, "login attempt to " + check
            + " failed with status: " + auth.statusCode() + (auth.statusCode() == 401 ? " Unauthorized" : ""));
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException(RegistryException.Kind.UNREACHABLE, "interrupted while contacting " + host, e);
      }
    }
    throw new RegistryException(RegistryException.Kind.UNREACHABLE, "cannot reach " + host + ": " + last, last);
  }

  /** Saves the credentials; returns where they went (a helper's name or the file). */
  public static String store(Path configFile, String registry, String user, String password) throws RegistryException {
    String key = serverKey(registry);
    ObjectNode config = read(configFile);
    Optional<String> helper = helper(config, key);
    if (helper.isPresent()) {
      ObjectNode payload = JSON.createObjectNode().put("ServerURL", key).put("Username", user).put("Secret", password);
      runHelper(helper.get(), "store", payload.toString());
      if (config.path("auths").has(key)) { // a stale inline entry would shadow nothing but confuse people
        ((ObjectNode) config.get("auths")).remove(key);
        write(configFile, config);
      }
      return "docker-credential-" + helper.get();
    }
    String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    config.with("auths").putObject(key).put("auth", auth);
    write(configFile, config);
    return configFile.toString();
  }

  /** Forgets the credentials; false when there were none. */
  public static boolean erase(Path configFile, String registry) throws RegistryException {
    String key = serverKey(registry);
    ObjectNode config = read(configFile);
    boolean found = false;
    Optional<String> helper = helper(config, key);
    if (helper.isPresent()) {
      found = runHelper(helper.get(), "erase", key);
    }
    if (config.path("auths").has(key)) {
      ((ObjectNode) config.get("auths")).remove(key);
      write(configFile, config);
      found = true;
    }
    return found;
  }

  private static Optional<String> helper(ObjectNode config, String key) {
    JsonNode specific = config.path("credHelpers").path(key);
    if (specific.isTextual() && !specific.asText().isEmpty()) {
      return Optional.of(specific.asText());
    }
    JsonNode store = config.path("credsStore");
    return store.isTextual() && !store.asText().isEmpty() ? Optional.of(store.asText()) : Optional.empty();
  }

  /** Runs {@code docker-credential-NAME ACTION} with {@code input} on stdin; false for "not found" on erase. */
  private static boolean runHelper(String name, String action, String input) throws RegistryException {
    String program = "docker-credential-" + name;
    ProcessBuilder pb = new ProcessBuilder(program, action).redirectErrorStream(true);
    try {
      Process p = pb.start();
      p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, program + " " + action + " did not finish in 60s");
      }
      if (p.exitValue() != 0) {
        if (action.equals("erase") && out.contains("credentials not found")) {
          return false;
        }
        throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, program + " " + action + " failed: " + out);
      }
      return true;
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, "the credential helper " + program
          + " named in the Docker config cannot be run: " + e.getMessage() + " (install it or fix credsStore/credHelpers)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, "interrupted while running " + program, e);
    }
  }

  private static ObjectNode read(Path file) throws RegistryException {
    if (!Files.exists(file)) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode n = JSON.readTree(file.toFile());
      if (n == null || n.isMissingNode()) {
        return JSON.createObjectNode();
      }
      if (!n.isObject()) {
        throw new RegistryException(RegistryException.Kind.PROTOCOL, file + " is not a JSON object");
      }
      return (ObjectNode) n;
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.PROTOCOL, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Written whole or not at all, readable by its owner only (it holds secrets). */
  private static void write(Path file, ObjectNode config) throws RegistryException {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".config", ".json",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, JSON.writeValueAsBytes(config));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.PROTOCOL, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
