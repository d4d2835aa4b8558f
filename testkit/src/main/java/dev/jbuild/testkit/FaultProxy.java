package dev.jbuild.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * An HTTP proxy in front of a real registry that injects faults by rule: an error status, a
 * connection closed without an answer, a body sent slowly, cut short, or with a byte changed
 * (a wrong digest). Each rule matches a method and a path pattern and fires a given number of
 * times; everything else is forwarded unchanged. Upload {@code Location}s are rewritten to
 * point back at the proxy, so whole pushes go through it.
 */
public final class FaultProxy implements AutoCloseable {
  private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "transfer-encoding", "host",
      "keep-alive", "date");

  /** What a rule does to a matching request. */
  public enum Fault {
    /** Answer with {@link Rule#status()} and no body, never reaching the registry. */
    STATUS,
    /** Close the connection without any answer (a reset, as the client sees it). */
    RESET,
    /** Forward, then send the body in small pieces with pauses. */
    SLOW_BODY,
    /** Forward, then announce the full length but send only half the body. */
    TRUNCATE,
    /** Forward, then send the body with its middle byte changed (same length, wrong digest). */
    CORRUPT
  }

  /** A fault for requests whose method and raw path (with query) match, {@code times} times (-1: always). */
  public record Rule(String method, Pattern path, Fault fault, int status, AtomicInteger left, AtomicInteger skip) {
    public static Rule of(String method, String pathRegex, Fault fault, int times) {
      return new Rule(method, Pattern.compile(pathRegex), fault, 0, new AtomicInteger(times), new AtomicInteger());
    }

    public static Rule status(String method, String pathRegex, int status, int times) {
      return new Rule(method, Pattern.compile(pathRegex), Fault.STATUS, status, new AtomicInteger(times),
          new AtomicInteger());
    }

    /** This rule, letting the first {@code n} matching requests through untouched. */
    public Rule afterMatches(int n) {
      return new Rule(method, path, fault, status, left, new AtomicInteger(n));
    }

    /** Whether the rule has fired as often as it was told to. */
    public boolean spent() {
      return left.get() == 0;
    }

    boolean fires(String m, String p) {
      if (!method.equals(m) || !path.matcher(p).matches()) {
        return false;
      }
      if (skip.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return false;
      }
      while (true) {
        int n = left.get();
        if (n < 0) {
          return true;
        }
        if (n == 0) {
          return false;
        }
        if (left.compareAndSet(n, n - 1)) {
          return true;
        }
      }
    }
  }

  private final HttpServer server;
  private final String upstream;
  private final String self;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<String> log = new CopyOnWriteArrayList<>();

  /** @param upstreamHostPort the registry, {@code 127.0.0.1:PORT} */
  public FaultProxy(String upstreamHostPort) {
    this.upstream = "http://" + upstreamHostPort;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fault-proxy");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
    self = "127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@code 127.0.0.1:PORT} of the proxy, the registry part of image references through it. */
  public String hostPort() {
    return self;
  }

  public void add(Rule r) {
    rules.add(r);
  }

  /** Removes every rule and forgets the requests seen so far. */
  public void reset() {
    rules.clear();
    log.clear();
  }

  /** Every request seen, as {@code METHOD path -> outcome}. */
  public List<String> log() {
    return List.copyOf(log);
  }

  /** How many requests a fault was injected into. */
  public long faults() {
    return log.stream().filter(l -> l.contains(" -> FAULT ")).count();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath()
        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
    String method = ex.getRequestMethod();
    Rule rule = rules.stream().filter(r -> r.fires(method, path)).findFirst().orElse(null);
    byte[] requestBody = ex.getRequestBody().readAllBytes();
    try {
      if (rule != null && rule.fault() == Fault.STATUS) {
        log.add(method + " " + path + " -> FAULT " + rule.status());
        ex.sendResponseHeaders(rule.status(), -1);
        ex.close();
        return;
      }
      if (rule != null && rule.fault() == Fault.RESET) {
        log.add(method + " " + path + " -> FAULT reset");
        ex.close(); // nothing sent: closing the exchange now drops the connection
        return;
      }
      HttpResponse<byte[]> r = forward(ex, method, path, requestBody);
      byte[] body = method.equals("HEAD") ? new byte[0] : r.body();
      String outcome = rule == null || body.length == 0 ? String.valueOf(r.statusCode()) : "FAULT " + rule.fault();
      log.add(method + " " + path + " -> " + outcome);
      copyHeaders(r, ex);
      if (method.equals("HEAD") || body.length == 0) {
        ex.sendResponseHeaders(r.statusCode(), -1);
        ex.close();
        return;
      }
      ex.sendResponseHeaders(r.statusCode(), body.length);
      OutputStream out = ex.getResponseBody();
      Fault fault = rule == null ? null : rule.fault();
      if (fault == Fault.CORRUPT) {
        body = body.clone();
        body[body.length / 2] ^= 0x5a;
      }
      if (fault == Fault.TRUNCATE) {
        out.write(body, 0, body.length / 2);
        out.flush();
      } else if (fault == Fault.SLOW_BODY) {
        for (int off = 0; off < body.length; off += 4096) {
          out.write(body, off, Math.min(4096, body.length - off));
          out.flush();
          Thread.sleep(20);
        }
      } else {
        out.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        ex.close();
      } catch (RuntimeException ignored) {
        // "insufficient bytes written" after a truncated body: the point of the fault
      }
    }
  }

  private HttpResponse<byte[]> forward(HttpExchange ex, String method, String path, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + path));
    ex.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> b.header(name, v));
      }
    });
    b.method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private void copyHeaders(HttpResponse<byte[]> r, HttpExchange ex) {
    r.headers().map().forEach((name, values) -> {
      if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        for (String v : values) {
          // uploads continue at the Location the registry names: keep them coming through the proxy
          ex.getResponseHeaders().add(name, name.equalsIgnoreCase("Location") && v.startsWith(upstream)
              ? "http://" + self + v.substring(upstream.length()) : v);
        }
      }
    });
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
