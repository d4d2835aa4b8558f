package dev.jbuild.samples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A plain HTTP proxy in front of a registry on loopback that records every request line
 * ({@code POST /v2/app/blobs/uploads/?mount=…&from=… 201}), so a test can count uploads and mounts.
 * Upload locations are rewritten to point back through the proxy.
 */
final class CountingProxy implements AutoCloseable {
  private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "transfer-encoding",
      "upgrade", "keep-alive", "expect");
  private final HttpServer server;
  private final String upstream;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final ServerSocket front;

  CountingProxy(String upstreamHostPort) throws IOException {
    this.upstream = upstreamHostPort;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/", this::forward);
    server.start();
    this.front = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "counting-proxy-front");
    t.setDaemon(true);
    t.start();
  }

  String hostPort() {
    return "127.0.0.1:" + front.getLocalPort();
  }

  /**
   * Clients of an insecure registry try HTTPS first; the JDK's HTTP server would wait forever for
   * a request line in a TLS hello, so connections that start with one are closed at once (as a
   * plain-HTTP registry's refusal), the rest piped to the HTTP server.
   */
  private void acceptLoop() {
    while (!front.isClosed()) {
      try {
        Socket client = front.accept();
        Thread t = new Thread(() -> pipe(client), "counting-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pipe(Socket client) {
    try (client; Socket backend = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
      InputStream in = client.getInputStream();
      int first = in.read();
      if (first < 0 || first == 0x16) {
        return; // end of stream, or a TLS handshake record
      }
      OutputStream toBackend = backend.getOutputStream();
      toBackend.write(first);
      Thread back = new Thread(() -> {
        try {
          backend.getInputStream().transferTo(client.getOutputStream());
        } catch (IOException ignored) {
          // connection closed
        } finally {
          try {
            client.close();
          } catch (IOException ignored) {
            // closing
          }
        }
      });
      back.setDaemon(true);
      back.start();
      in.transferTo(toBackend);
      back.join();
    } catch (IOException | InterruptedException ignored) {
      // a connection ending is normal
    }
  }

  /** Request lines with their status, e.g. {@code PUT /v2/x/manifests/1 201}. */
  List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  void clear() {
    requests.clear();
  }

  /** Blob uploads that sent bytes (the PUT ending an upload session). */
  long blobUploads() {
    return requests().stream().filter(r -> r.startsWith("PUT ") && r.contains("/blobs/uploads/")).count();
  }

  long mounts() {
    return requests().stream().filter(r -> r.startsWith("POST ") && r.contains("mount=") && r.endsWith(" 201")).count();
  }

  private void forward(HttpExchange ex) throws IOException {
    try (ex) {
      String target = ex.getRequestURI().getRawPath()
          + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + upstream + target))
          .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      ex.getRequestHeaders().forEach((k, vs) -> {
        if (!HOP_HEADERS.contains(k.toLowerCase(java.util.Locale.ROOT))) {
          vs.forEach(v -> b.header(k, v));
        }
      });
      HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      requests.add(ex.getRequestMethod() + " " + target + " " + r.statusCode());
      r.headers().map().forEach((k, vs) -> {
        if (!HOP_HEADERS.contains(k.toLowerCase(java.util.Locale.ROOT)) && !k.equals(":status")) {
          vs.forEach(v -> ex.getResponseHeaders().add(k, v.replace(upstream, hostPort())));
        }
      });
      boolean noBody = ex.getRequestMethod().equals("HEAD") || r.statusCode() == 204 || r.body().length == 0;
      ex.sendResponseHeaders(r.statusCode(), noBody ? -1 : r.body().length);
      if (!noBody) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(r.body());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    try {
      front.close();
    } catch (IOException ignored) {
      // stopping anyway
    }
    server.stop(0);
  }
}
