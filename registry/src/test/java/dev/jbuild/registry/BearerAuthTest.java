package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker token auth against a real docker-registry configured with {@code auth: token}. The token
 * server is this test's (a few lines on the JDK's HttpServer, signing JWTs with an openssl key):
 * anyone may pull, only {@code USER} may push.
 */
@ExtendWith(RegistryExtension.class)
class BearerAuthTest {
  static final String USER = "jbuild";
  static final String PASSWORD = "token-s3cret";
  static final String SERVICE = "jbuild-test-registry";
  static final String ISSUER = "jbuild-test-issuer";

  static Process registry;
  static HttpServer tokenServer;
  static Path dir;
  static String host;
  static PrivateKey signingKey;
  static String certificateDer;
  /** The scope parameters of every token request, in order. */
  static final List<List<String>> tokenRequests = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Path program = Prerequisites.requireProgram("docker-registry", "docker-registry");
    Prerequisites.requireProgram("openssl", "openssl");
    dir = Files.createTempDirectory("jbuild-token-registry");
    Processes.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=jbuild-test-token", "-keyout", dir.resolve("key.pem").toString(),
        "-out", dir.resolve("cert.pem").toString())).assertSuccess();
    signingKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pemBody(dir.resolve("key.pem"))));
    certificateDer = Base64.getEncoder().encodeToString(pemBody(dir.resolve("cert.pem")));

    tokenServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    tokenServer.createContext("/token", BearerAuthTest::issueToken);
    tokenServer.start();

    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    host = "127.0.0.1:" + port;
    Files.writeString(dir.resolve("config.yml"), String.join("\n",
        "version: 0.1",
        "log:",
        "  level: warn",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + dir.resolve("data"),
        "auth:",
        "  token:",
        "    realm: http://127.0.0.1:" + tokenServer.getAddress().getPort() + "/token",
        "    service: " + SERVICE,
        "    issuer: " + ISSUER,
        "    rootcertbundle: " + dir.resolve("cert.pem"),
        "http:",
        "  addr: " + host,
        ""));
    registry = new ProcessBuilder(program.toString(), "serve", dir.resolve("config.yml").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      assertTrue(registry.isAlive(), () -> "docker-registry exited: " + readLog());
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host + "/v2/").toURL().openConnection();
        c.setConnectTimeout(500);
        if (c.getResponseCode() == 401) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError("docker-registry with token auth did not start: " + readLog());
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.destroy();
      registry.waitFor();
    }
    if (tokenServer != null) {
      tokenServer.stop(0);
    }
    Processes.run(List.of("rm", "-rf", dir.toString()));
  }

  static String readLog() {
    try {
      return Files.readString(dir.resolve("registry.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  static byte[] pemBody(Path pem) throws IOException {
    String text = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(text);
  }

  /** GET /token?service=…&scope=repository:NAME:ACTIONS… → a JWT granting pull to all, push to USER. */
  static void issueToken(HttpExchange ex) throws IOException {
    List<String> scopes = new ArrayList<>();
    String service = "";
    String query = ex.getRequestURI().getRawQuery();
    for (String kv : query == null ? new String[0] : query.split("&")) {
      String[] p = kv.split("=", 2);
      String v = p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "";
      if (p[0].equals("scope")) {
        scopes.add(v);
      } else if (p[0].equals("service")) {
        service = v;
      }
    }
    tokenRequests.add(scopes);
    String authorization = ex.getRequestHeaders().getFirst("Authorization");
    boolean authenticated = false;
    if (authorization != null) {
      String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      if (!authorization.equals(expected) || !service.equals(SERVICE)) {
        respond(ex, 401, "{\"details\":\"incorrect username or password\"}");
        return;
      }
      authenticated = true;
    }
    StringBuilder access = new StringBuilder();
    for (String scope : scopes) {
      String[] parts = scope.split(":");
      List<String> granted = new ArrayList<>();
      for (String action : parts[2].split(",")) {
        if (action.equals("pull") || (action.equals("push") && authenticated)) {
          granted.add("\"" + action + "\"");
        }
      }
      access.append(access.length() == 0 ? "" : ",").append("{\"type\":\"").append(parts[0])
          .append("\",\"name\":\"").append(parts[1]).append("\",\"actions\":[").append(String.join(",", granted)).append("]}");
    }
    long now = Instant.now().getEpochSecond();
    String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\"" + certificateDer + "\"]}";
    String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + (authenticated ? USER : "") + "\",\"aud\":\"" + SERVICE
        + "\",\"exp\":" + (now + 300) + ",\"nbf\":" + (now - 10) + ",\"iat\":" + now + ",\"jti\":\""
        + UUID.randomUUID() + "\",\"access\":[" + access + "]}";
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature sig = Signature.getInstance("SHA256withRSA");
      sig.initSign(signingKey);
      sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      String jwt = signingInput + "." + b64.encodeToString(sig.sign());
      respond(ex, 200, "{\"token\":\"" + jwt + "\",\"expires_in\":300}");
    } catch (java.security.GeneralSecurityException e) {
      respond(ex, 500, "{\"details\":\"" + e + "\"}");
    }
  }

  static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  static Path dockerConfig(Path tmp, String password) throws IOException {
    String auth = Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    Path file = tmp.resolve("config-" + password.length() + ".json");
    Files.writeString(file, "{\"auths\":{\"" + host + "\":{\"auth\":\"" + auth + "\"}}}");
    return file;
  }

  @Test
  void pushesWithTokensMountsAcrossRepositoriesAndPullsAnonymously(TestRegistry shared, @TempDir Path tmp)
      throws Exception {
    RegistryClient anonymousShared = RegistryClient.create(RegistryConfig.defaults().withoutCredentials());
    ImageReference source = ImageReference.parse(shared.busybox());
    ResolvedImage image = new ImageResolver(anonymousShared).resolve(source, Platform.LINUX_ARM64);

    RegistryClient client = RegistryClient.create(RegistryConfig.defaults().withDockerConfigFile(dockerConfig(tmp, PASSWORD)));
    ImageReference first = ImageReference.parse(host + "/first/busybox:1");
    ImageReference second = ImageReference.parse(host + "/second/busybox:1");
    List<Descriptor> blobs = new ArrayList<>(image.parsedManifest().layers());
    blobs.add(image.parsedManifest().config());
    List<PushTest.CountingSource> secondSources = new ArrayList<>();
    for (Descriptor blob : blobs) {
      Path file = tmp.resolve(blob.digestValue().hex());
      anonymousShared.fetchBlob(source, blob.digestValue(), file);
      client.pushBlob(first, blob.digestValue(), blob.size(), BlobSource.of(file), Optional.empty());
      // the mount needs a token for two repositories: push on second, pull on first
      PushTest.CountingSource counting = new PushTest.CountingSource(file);
      secondSources.add(counting);
      client.pushBlob(second, blob.digestValue(), blob.size(), counting, Optional.of(first));
    }
    secondSources.forEach(s -> assertEquals(0, s.opens().get(), "mounted, not uploaded"));
    assertTrue(tokenRequests.stream().anyMatch(scopes -> scopes.equals(List.of(
        "repository:first/busybox:pull", "repository:second/busybox:pull,push"))), tokenRequests.toString());
    client.pushManifest(first, "1", image.manifest().bytes(), image.manifest().mediaType());
    client.pushManifest(second, "1", image.manifest().bytes(), image.manifest().mediaType());

    // anonymous pulls get anonymous tokens; a token is reused for the same scope
    RegistryClient anonymous = RegistryClient.create(RegistryConfig.defaults().withoutCredentials());
    int before = tokenRequests.size();
    assertArrayEquals(image.manifest().bytes(), anonymous.fetchManifest(second).bytes());
    ResolvedImage resolved = new ImageResolver(anonymous).resolve(second, Platform.LINUX_ARM64);
    assertEquals(image.manifestDigest(), resolved.manifestDigest());
    assertEquals(1, tokenRequests.size() - before, "one token for repository:second/busybox:pull: " + tokenRequests);

    byte[] skopeo = Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + second))
        .assertSuccess().stdout().getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(image.manifest().bytes(), skopeo);

    // anonymous push: the registry refuses, and the message says to log in
    RegistryException e = assertThrows(RegistryException.class, () -> anonymous.pushManifest(
        ImageReference.parse(host + "/third/busybox"), "1", image.manifest().bytes(), image.manifest().mediaType()));
    assertEquals(RegistryException.Kind.UNAUTHORIZED, e.kind());
    assertEquals("authentication required for " + host + "/third/busybox:1"
        + ": log in with docker login / add credentials to ~/.docker/config.json", e.getMessage());
  }

  @Test
  void rejectedCredentialsAtTheTokenServerAreClear(@TempDir Path tmp) throws Exception {
    Path config = dockerConfig(tmp, "wrong-password");
    RegistryClient client = RegistryClient.create(RegistryConfig.defaults().withDockerConfigFile(config));
    ImageReference ref = ImageReference.parse(host + "/first/busybox:1");
    RegistryException e = assertThrows(RegistryException.class, () -> client.fetchManifest(ref));
    assertEquals(RegistryException.Kind.UNAUTHORIZED, e.kind());
    assertEquals("authentication failed for " + ref + ": the registry " + host + " rejected the credentials from "
        + config + " (incorrect username or password)", e.getMessage());
  }
}
