package dev.jbuild.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.oci.Json;
import dev.jbuild.registry.RegistryException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The HTTP side of the distribution protocol: which scheme a registry answers on (HTTPS, or HTTP
 * for insecure hosts; asked once per registry with a {@code /v2/} ping), authentication (Basic,
 * or Bearer tokens cached per scope), redirects, and retries of transient failures. It knows
 * nothing about manifests or blobs; {@link RegistryClient} builds the requests.
 */
final class RegistryHttp {
  /**
   * Created on first use: System.getLogger finds its LoggerFinder with a ServiceLoader, which opens
   * every jar of the class path (≈ 30 ms), and a cached build asks no registry anything.
   */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(RegistryHttp.class.getName());
  }
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration INSECURE_TLS_PROBE_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);
  private static final int MAX_REDIRECTS = 10;
  private static final long ERROR_BODY_LIMIT = 64 * 1024;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final RegistryConfig config;
  private final CredentialLookup credentials;
  // Made on first use: a build against a plain-HTTP loopback registry never starts TLS (loading
  // the JSSE provider and the trust store costs a cold JVM 0.1-0.3 s).
  private final LazyClient plainClient = new LazyClient(() -> newClient(PlainHttpOnly.CONTEXT, new javax.net.ssl.SSLParameters()));
  private final LazyClient verifyingClient = new LazyClient(() -> newClient(null));
  private final LazyClient trustingClient = new LazyClient(() -> newClient(trustAllContext()));
  private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final Map<String, BearerToken> tokens = new ConcurrentHashMap<>();

  /** Where a registry answers and how it asks to be authenticated (from the ping). */
  record Endpoint(String registry, URI base, HttpClient client, Optional<AuthChallenge> challenge) {}

  private record BearerToken(String authorization, Instant expires) {}

  /**
   * One request to a registry.
   *
   * @param registry  registry name as in references (credentials are looked up by it)
   * @param subject   what the request is about, for messages (e.g. the image reference)
   * @param target    a path such as {@code /v2/x/manifests/1}, or an absolute URL (upload locations)
   * @param body      a fresh body per attempt; null for none
   * @param scopes    token scopes, e.g. {@code repository:x:pull}
   * @param retryable whether transient failures may be retried (the request is idempotent)
   */
  record Call(String registry, String subject, String method, String target, Map<String, String> headers,
              Supplier<BodyPublisher> body, List<String> scopes, boolean retryable) {
    Call {
      headers = Map.copyOf(headers);
      scopes = List.copyOf(scopes);
    }
  }

  RegistryHttp(RegistryConfig config) {
    this.config = config;
    this.credentials = new CredentialLookup(config);
  }

  RegistryConfig config() {
    return config;
  }

  boolean hasCredentials(String registry) {
    try {
      return credentials.forRegistry(registry).isPresent();
    } catch (RegistryException e) {
      return false;
    }
  }

  String credentialSource() {
    return credentials.sourceDescription();
  }

  /**
   * Sends a request and returns the response with its body unread: the caller must read or
   * close it. Answers 401 by (re)authenticating once; retries transient failures if allowed.
   */
  HttpResponse<InputStream> send(Call call) throws RegistryException {
    Endpoint ep = endpoint(call.registry());
    URI uri = ep.base().resolve(call.target());
    Optional<String> auth = authorization(ep, call.scopes(), call.subject(), false);
    boolean reauthenticated = false;
    for (int attempt = 1; ; attempt++) {
      HttpResponse<InputStream> r;
      try {
        r = exchange(ep, call, uri, auth);
      } catch (IOException e) {
        if (call.retryable() && isTransient(e) && attempt < config.maxAttempts()) {
          Log.LOG.log(System.Logger.Level.DEBUG, "retrying {0} {1} after {2}", call.method(), uri, e.toString());
          sleep(backoff(attempt, Optional.empty()));
          continue;
        }
        throw unreachable(hostPort(uri), e);
      }
      if (r.statusCode() == 401 && !reauthenticated) {
        reauthenticated = true;
        Optional<AuthChallenge> challenge = AuthChallenge.select(r.headers().allValues("WWW-Authenticate"));
        Optional<String> fresh = reauthorize(ep, call, challenge);
        if (fresh.isPresent() && !fresh.equals(auth)) {
          discard(r);
          auth = fresh;
          attempt--;
          continue;
        }
        return r;
      }
      if (call.retryable() && isTransientStatus(r.statusCode()) && attempt < config.maxAttempts()) {
        Optional<String> retryAfter = r.headers().firstValue("Retry-After");
        discard(r);
        Log.LOG.log(System.Logger.Level.DEBUG, "retrying {0} {1} after HTTP {2}", call.method(), uri, r.statusCode());
        sleep(backoff(attempt, retryAfter));
        continue;
      }
      return r;
    }
  }

  /** Sends one request, following redirects for GET and HEAD (without credentials off-host). */
  private HttpResponse<InputStream> exchange(Endpoint ep, Call call, URI uri, Optional<String> auth)
      throws IOException, RegistryException {
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(current).timeout(RESPONSE_TIMEOUT)
          .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody() : call.body().get());
      call.headers().forEach(b::header);
      boolean sameOrigin = sameOrigin(current, ep.base());
      if (auth.isPresent() && sameOrigin) {
        b.header("Authorization", auth.get());
      }
      HttpClient client = sameOrigin ? ep.client() : clientFor(current);
      HttpResponse<InputStream> r;
      try {
        r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException(Kind.UNREACHABLE, "interrupted during " + call.method() + " " + current, e);
      }
      Log.LOG.log(System.Logger.Level.DEBUG, "{0} {1} -> {2}", call.method(), current, r.statusCode());
      boolean redirect = r.statusCode() == 301 || r.statusCode() == 302 || r.statusCode() == 303
          || r.statusCode() == 307 || r.statusCode() == 308;
      Optional<String> location = r.headers().firstValue("Location");
      if (!redirect || location.isEmpty() || !(call.method().equals("GET") || call.method().equals("HEAD"))) {
        return r;
      }
      discard(r);
      current = current.resolve(location.get());
    }
    throw new RegistryException(Kind.PROTOCOL, call.subject() + ": more than " + MAX_REDIRECTS + " redirects from " + hostPort(uri));
  }

  // ---- endpoints ------------------------------------------------------------------------

  /** The endpoint of a registry, pinging it on first use (HTTPS first; HTTP too if insecure). */
  private Endpoint endpoint(String registry) throws RegistryException {
    Endpoint ep = endpoints.get(registry);
    if (ep != null) {
      return ep;
    }
    ep = ping(registry);
    Endpoint prev = endpoints.putIfAbsent(registry, ep);
    return prev != null ? prev : ep;
  }

  private Endpoint ping(String registry) throws RegistryException {
    String host = registry.equals(ImageReference.DOCKER_HUB) ? ImageReference.DOCKER_HUB_ENDPOINT : registry;
    boolean insecure = config.isInsecure(host);
    // Loopback registries are nearly always plain HTTP (as containerd assumes for localhost):
    // asking HTTP first spares a TLS start-up per build; a TLS-only one is still found next.
    boolean httpFirst = insecure && RegistryConfig.isLoopback(RegistryConfig.hostOf(host));
    IOException last = null;
    List<String> schemes = !insecure ? List.of("https") : httpFirst ? List.of("http", "https") : List.of("https", "http");
    for (String scheme : schemes) {
      URI base = URI.create(scheme + "://" + host + "/");
      HttpClient client = clientFor(base);
      for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
        try {
          // A plain-HTTP server may never answer a TLS hello: probe an insecure host's HTTPS briefly.
          Duration timeout = insecure && scheme.equals("https") ? INSECURE_TLS_PROBE_TIMEOUT : CONNECT_TIMEOUT.multipliedBy(2);
          HttpRequest req = HttpRequest.newBuilder(base.resolve("/v2/")).timeout(timeout).GET().build();
          HttpResponse<InputStream> r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
          Optional<AuthChallenge> challenge = r.statusCode() == 401
              ? AuthChallenge.select(r.headers().allValues("WWW-Authenticate"))
              : Optional.empty();
          discard(r);
          if (httpFirst && scheme.equals("http") && r.statusCode() != 200 && r.statusCode() != 401) {
            break; // e.g. 400 from a TLS server spoken to in plain HTTP: try HTTPS
          }
          Log.LOG.log(System.Logger.Level.DEBUG, "{0} answers on {1} (HTTP {2}, auth {3})",
              registry, base, r.statusCode(), challenge.map(AuthChallenge::scheme).orElse("none"));
          return new Endpoint(registry, base, client, challenge);
        } catch (IOException e) {
          last = e;
          if (!isTransient(e) || (insecure && (scheme.equals("https") || httpFirst))) {
            break; // an insecure host goes on to its other scheme at once
          }
          sleep(backoff(attempt, Optional.empty()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RegistryException(Kind.UNREACHABLE, "interrupted while contacting " + host, e);
        }
      }
    }
    throw unreachable(host, last);
  }

  // ---- authentication -------------------------------------------------------------------

  private Optional<String> authorization(Endpoint ep, List<String> scopes, String subject, boolean refresh)
      throws RegistryException {
    if (ep.challenge().isEmpty()) {
      return Optional.empty();
    }
    AuthChallenge ch = ep.challenge().get();
    if (ch.isBasic()) {
      return credentials.forRegistry(ep.registry()).map(Credentials::basicAuthorization);
    }
    if (ch.isBearer()) {
      return Optional.of(bearerToken(ep, ch, scopes, subject, refresh));
    }
    return Optional.empty();
  }

  /** After a 401: authenticate as the response's challenge asks, for the call's scopes plus its own. */
  private Optional<String> reauthorize(Endpoint ep, Call call, Optional<AuthChallenge> challenge)
      throws RegistryException {
    if (challenge.isEmpty()) {
      return Optional.empty();
    }
    AuthChallenge ch = challenge.get();
    if (ch.isBasic()) {
      return credentials.forRegistry(ep.registry()).map(Credentials::basicAuthorization);
    }
    if (ch.isBearer()) {
      TreeSet<String> scopes = new TreeSet<>(call.scopes());
      scopes.addAll(ch.scopes());
      return Optional.of(bearerToken(ep, ch, List.copyOf(scopes), call.subject(), true));
    }
    return Optional.empty();
  }

  /** Docker token auth: GET realm?service=…&scope=…, with Basic credentials when we have them. */
  private String bearerToken(Endpoint ep, AuthChallenge ch, List<String> scopes, String subject, boolean refresh)
      throws RegistryException {
    String key = ep.registry() + " " + String.join(" ", new TreeSet<>(scopes));
    BearerToken cached = tokens.get(key);
    if (!refresh && cached != null && Instant.now().isBefore(cached.expires())) {
      return cached.authorization();
    }
    String realm = ch.param("realm").orElseThrow(() -> new RegistryException(Kind.PROTOCOL,
        ep.registry() + " asks for a bearer token but names no token server (realm)"));
    StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
    List<String> params = new ArrayList<>();
    ch.param("service").ifPresent(s -> params.add("service=" + enc(s)));
    for (String s : new TreeSet<>(scopes)) {
      params.add("scope=" + enc(s));
    }
    q.append(String.join("&", params));
    URI uri;
    try {
      uri = URI.create(q.toString());
    } catch (IllegalArgumentException e) {
      throw new RegistryException(Kind.PROTOCOL, ep.registry() + " names an invalid token server: " + realm, e);
    }
    Optional<Credentials> creds = credentials.forRegistry(ep.registry());
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET();
    creds.ifPresent(c -> b.header("Authorization", c.basicAuthorization()));
    HttpResponse<InputStream> r;
    byte[] body;
    try {
      r = clientFor(uri).send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      body = readLimited(r, 1 << 20);
    } catch (IOException e) {
      throw unreachable("token server " + hostPort(uri) + " of " + ep.registry(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(Kind.UNREACHABLE, "interrupted while authenticating to " + ep.registry(), e);
    }
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw authFailure(ep.registry(), subject, creds.isPresent(), errorDetail(body));
    }
    if (r.statusCode() != 200 || body == null) {
      throw new RegistryException(Kind.PROTOCOL, "token server " + hostPort(uri) + " of " + ep.registry()
          + " answered HTTP " + r.statusCode() + detailSuffix(errorDetail(body)));
    }
    String token;
    long expiresIn;
    try {
      JsonNode json = Json.MAPPER.readTree(body);
      token = json.path("token").asText(json.path("access_token").asText(""));
      expiresIn = json.path("expires_in").asLong(60);
    } catch (IOException e) {
      throw new RegistryException(Kind.PROTOCOL, "token server of " + ep.registry() + " returned invalid JSON", e);
    }
    if (token.isEmpty()) {
      throw new RegistryException(Kind.PROTOCOL, "token server of " + ep.registry() + " returned no token");
    }
    // Refresh a little early so a token never expires between our check and the registry's.
    Instant expires = Instant.now().plusSeconds(Math.max(10, expiresIn - 10));
    String authorization = "Bearer " + token;
    tokens.put(key, new BearerToken(authorization, expires));
    return authorization;
  }

  RegistryException authFailure(String registry, String subject, boolean hadCredentials, String detail) {
    if (hadCredentials) {
      return new RegistryException(Kind.UNAUTHORIZED, "authentication failed for " + subject
          + ": the registry " + registry + " rejected the credentials from " + credentials.sourceDescription()
          + detailSuffix(detail));
    }
    return new RegistryException(Kind.UNAUTHORIZED, "authentication required for " + subject
        + ": log in with docker login / add credentials to ~/.docker/config.json");
  }

  // ---- clients, errors, helpers ---------------------------------------------------------

  private HttpClient clientFor(URI uri) {
    if (uri.getScheme().equals("http")) {
      return plainClient.get();
    }
    return config.isInsecure(hostPort(uri)) ? trustingClient.get() : verifyingClient.get();
  }

  /**
   * Stops the clients made so far. On Java 21+ (where HttpClient is AutoCloseable) this ends their
   * selector threads, which otherwise sit in a native poll and hold up the JVM's exit by 0.3 s.
   */
  void close() {
    for (LazyClient c : List.of(plainClient, verifyingClient, trustingClient)) {
      c.close();
    }
  }

  /** One HttpClient, made when first asked for. */
  private static final class LazyClient {
    private final Supplier<HttpClient> make;
    private volatile HttpClient client;

    LazyClient(Supplier<HttpClient> make) {
      this.make = make;
    }

    HttpClient get() {
      HttpClient c = client;
      if (c == null) {
        synchronized (this) {
          if (client == null) {
            client = make.get();
          }
          c = client;
        }
      }
      return c;
    }

    void close() {
      HttpClient c = client;
      if (c instanceof AutoCloseable closeable) { // Java 21+
        try {
          closeable.close();
        } catch (Exception e) {
          Log.LOG.log(System.Logger.Level.DEBUG, "closing an HTTP client: {0}", e.toString());
        }
      }
    }
  }

  private static HttpClient newClient(SSLContext ssl) {
    return newClient(ssl, null);
  }

  /** @param ssl null for the JVM's default TLS context; params null for the context's defaults */
  private static HttpClient newClient(SSLContext ssl, javax.net.ssl.SSLParameters params) {
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER); // we follow them, dropping credentials off-host
    if (ssl != null) {
      b.sslContext(ssl);
    }
    if (params != null) {
      b.sslParameters(params);
    }
    return b.build();
  }

  /** For insecure registries: any certificate, any host name (Docker's insecure-registries). */
  private static SSLContext trustAllContext() {
    TrustManager trustAll = new X509ExtendedTrustManager() {
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {}
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}
      @Override public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {trustAll}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a TLS context", e);
    }
  }

  static RegistryException unreachable(String what, Exception e) {
    return new RegistryException(Kind.UNREACHABLE, "cannot reach " + what + ": " + describe(e), e);
  }

  /** A short reason for a network failure: "connection refused", "unknown host", … */
  static String describe(Throwable e) {
    if (e == null) {
      return "unknown error";
    }
    String firstMessage = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "unknown host";
      }
      if (t instanceof HttpConnectTimeoutException) {
        return "connection timed out";
      }
      if (t instanceof SSLException) {
        return "TLS handshake failed (" + t.getMessage() + ")";
      }
      if (t instanceof ConnectException) {
        String m = t.getMessage();
        if (m == null || m.toLowerCase(Locale.ROOT).contains("refused")) {
          return "connection refused";
        }
      }
      if (firstMessage == null && t.getMessage() != null) {
        firstMessage = t.getMessage();
      }
    }
    return firstMessage == null ? e.getClass().getSimpleName() : firstMessage.toLowerCase(Locale.ROOT);
  }

  static boolean isTransient(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException
          || t instanceof UnresolvedAddressException || t instanceof SSLException) {
        return false;
      }
    }
    return true; // resets, EOFs, response timeouts
  }

  private static boolean isTransientStatus(int status) {
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }

  private static Duration backoff(int attempt, Optional<String> retryAfter) {
    if (retryAfter.isPresent() && retryAfter.get().matches("\\d{1,4}")) {
      Duration d = Duration.ofSeconds(Long.parseLong(retryAfter.get()));
      return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }
    Duration d = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 10));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  static void sleep(Duration d) throws RegistryException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(Kind.UNREACHABLE, "interrupted", e);
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && hostPort(a).equalsIgnoreCase(hostPort(b));
  }

  static String hostPort(URI uri) {
    return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Reads a body up to {@code limit} bytes; null if it is longer. Always closes it. */
  static byte[] readLimited(HttpResponse<InputStream> r, long limit) throws IOException {
    try (InputStream in = r.body()) {
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      return b.length > limit ? null : b;
    }
  }

  /** Reads (a bounded amount of) a body we do not need, so the connection can be reused. */
  static void discard(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      in.readNBytes((int) ERROR_BODY_LIMIT);
    } catch (IOException ignored) {
      // the connection is dropped instead of reused: harmless
    }
  }

  /** The body of an error response, read bounded; empty if unreadable. */
  static byte[] errorBody(HttpResponse<InputStream> r) {
    try {
      byte[] b = readLimited(r, ERROR_BODY_LIMIT);
      return b == null ? new byte[0] : b;
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /**
   * The human part of a distribution error body
   * ({@code {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}}), or empty.
   */
  static String errorDetail(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    try {
      JsonNode json = Json.MAPPER.readTree(body);
      List<String> parts = new ArrayList<>();
      for (JsonNode e : json.path("errors")) {
        String m = e.path("message").asText("");
        if (m.isEmpty()) {
          m = e.path("code").asText("").toLowerCase(Locale.ROOT).replace('_', ' ');
        }
        if (!m.isEmpty() && !parts.contains(m)) {
          parts.add(m);
        }
      }
      if (!parts.isEmpty()) {
        return String.join("; ", parts);
      }
      String details = json.path("details").asText(json.path("error").asText(""));
      if (!details.isEmpty()) {
        return details;
      }
    } catch (IOException notJson) {
      // fall through to plain text
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    int nl = text.indexOf('\n');
    text = nl < 0 ? text : text.substring(0, nl);
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }

  static String detailSuffix(String detail) {
    return detail == null || detail.isEmpty() ? "" : " (" + detail + ")";
  }
}
