package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real registry behind a misbehaving proxy: 503s, connections cut in the middle of a blob,
 * redirects to another origin, and upload Locations made relative.
 */
@ExtendWith(RegistryExtension.class)
class FlakyNetworkTest {
  private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "transfer-encoding", "host",
      "keep-alive", "date");

  HttpServer proxy;
  final HttpClient upstreamClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).build();
  final AtomicInteger unavailableLeft = new AtomicInteger();
  final AtomicInteger cutBlobBodiesLeft = new AtomicInteger();
  volatile boolean redirectBlobs;
  volatile boolean relativeLocations;
  final List<String> log = new CopyOnWriteArrayList<>();

  String start(TestRegistry registry) throws IOException {
    String upstream = "http://" + registry.hostPort();
    proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    proxy.createContext("/", ex -> forward(ex, upstream));
    proxy.start();
    return "127.0.0.1:" + proxy.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.stop(0);
    }
  }

  void forward(HttpExchange ex, String upstream) throws IOException {
    String pathAndQuery = ex.getRequestURI().getRawPath()
        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
    String method = ex.getRequestMethod();
    log.add(method + " " + pathAndQuery);
    boolean blobGet = method.equals("GET") && pathAndQuery.matches("/v2/.+/blobs/sha256:[0-9a-f]{64}");
    if (!pathAndQuery.equals("/v2/") && unavailableLeft.getAndDecrement() > 0) {
      reply(ex, 503, new byte[0], false);
      return;
    }
    if (blobGet && redirectBlobs) {
      ex.getResponseHeaders().set("Location", upstream + pathAndQuery);
      reply(ex, 307, new byte[0], false);
      return;
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + pathAndQuery));
    ex.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> b.header(name, v));
      }
    });
    byte[] body = ex.getRequestBody().readAllBytes();
    b.method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<byte[]> r;
    try {
      r = upstreamClient.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    r.headers().map().forEach((name, values) -> {
      if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        for (String v : values) {
          if (name.equalsIgnoreCase("Location") && relativeLocations && v.startsWith(upstream)) {
            v = v.substring(upstream.length());
          }
          ex.getResponseHeaders().add(name, v);
        }
      }
    });
    boolean cut = blobGet && r.statusCode() == 200 && cutBlobBodiesLeft.getAndDecrement() > 0;
    reply(ex, r.statusCode(), method.equals("HEAD") ? new byte[0] : r.body(), cut);
  }

  static void reply(HttpExchange ex, int status, byte[] body, boolean cutHalfway) throws IOException {
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try {
      if (cutHalfway) {
        ex.getResponseBody().write(body, 0, body.length / 2);
        ex.getResponseBody().flush();
        // closing short of Content-Length drops the connection: the client sees a cut body
      } else {
        ex.getResponseBody().write(body);
      }
    } finally {
      try {
        ex.close();
      } catch (RuntimeException ignored) {
        // "insufficient bytes written": exactly the point
      }
    }
  }

  @Test
  void retriesUnavailableAndCutDownloadsAndFollowsRedirects(TestRegistry registry, @TempDir Path tmp) throws Exception {
    String host = start(registry);
    ImageReference ref = ImageReference.parse(host + "/busybox:" + ImageReference.parse(registry.busybox()).tag().orElseThrow());
    RegistryClient client = RegistryClient.create(RegistryConfig.defaults().withoutCredentials());

    unavailableLeft.set(2);
    ResolvedImage image = new ImageResolver(client).resolve(ref, Platform.LINUX_AMD64);
    assertTrue(unavailableLeft.get() < 0);
    assertTrue(log.stream().filter(l -> l.contains("/manifests/")).count() >= 3, "two 503s were retried: " + log);

    Descriptor layer = image.parsedManifest().layers().get(0);
    cutBlobBodiesLeft.set(1);
    Path dest = tmp.resolve("layer");
    client.fetchBlob(ref, layer.digestValue(), dest);
    assertTrue(cutBlobBodiesLeft.get() < 0, "the first download was cut");
    try (var in = Files.newInputStream(dest)) {
      assertEquals(layer.digestValue(), Digest.sha256(in));
    }
    try (var files = Files.list(tmp)) {
      assertEquals(List.of(dest), files.toList(), "the cut download left no partial file");
    }

    // a blob served from elsewhere (as registries do with storage back ends) is followed
    redirectBlobs = true;
    Digest config = image.parsedManifest().config().digestValue();
    int before = log.size();
    assertArrayEquals(image.configBytes(), client.fetchBlobBytes(ref, config, 1 << 20));
    assertEquals(List.of("GET /v2/busybox/blobs/" + config), log.subList(before, log.size()));
  }

  @Test
  void uploadsThroughRelativeLocationsAndRetriedStarts(TestRegistry registry, @TempDir Path tmp) throws Exception {
    String host = start(registry);
    relativeLocations = true;
    RegistryClient client = RegistryClient.create(RegistryConfig.defaults().withoutCredentials());
    ImageReference target = ImageReference.parse(host + "/flaky-upload:1");
    byte[] blob = "a blob uploaded through a relative Location".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Digest digest = Digest.sha256(blob);

    unavailableLeft.set(1);
    client.pushBlob(target, digest, blob.length, BlobSource.of(blob), Optional.empty());
    assertTrue(log.stream().anyMatch(l -> l.startsWith("PUT /v2/flaky-upload/blobs/uploads/")), log.toString());
    assertTrue(client.hasBlob(target, digest));
    assertArrayEquals(blob, client.fetchBlobBytes(target, digest, 1024));
  }

  @Test
  void persistentFailureEndsWithTheStatus(TestRegistry registry) throws Exception {
    String host = start(registry);
    RegistryClient client = RegistryClient.create(RegistryConfig.defaults().withoutCredentials().withMaxAttempts(2));
    unavailableLeft.set(100);
    ImageReference ref = ImageReference.parse(host + "/busybox:latest");
    RegistryException e = assertThrows(RegistryException.class, () -> client.fetchManifest(ref));
    assertEquals(ref + ": fetching the manifest failed: " + host + " answered HTTP 503", e.getMessage());
    assertEquals(2, log.stream().filter(l -> l.contains("/manifests/")).count());
  }
}
