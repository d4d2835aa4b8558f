package dev.jbuild.solver;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Downloads ADD's remote files once per build into the content store. The cache key of a remote
 * file is its content digest (or the expected {@code --checksum}), so an unchanged file served
 * again keeps the steps after it cached.
 */
final class HttpFetcher {
  /** A downloaded file: its content in the store and the server's Last-Modified time. */
  record Fetched(Digest digest, Optional<Instant> lastModified) {}

  private final ContentStore content;
  private final Map<String, Fetched> fetched = new ConcurrentHashMap<>();
  private HttpClient client; // made on the first ADD of a URL: most builds never start TLS for it

  private synchronized HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(30))
          .build();
    }
    return client;
  }

  HttpFetcher(ContentStore content) {
    this.content = content;
  }

  Fetched fetch(Op.Http op) throws IOException, InterruptedException {
    Fetched f = fetched.get(op.url());
    if (f == null) {
      f = download(op);
      fetched.put(op.url(), f);
    }
    return f;
  }

  private Fetched download(Op.Http op) throws IOException, InterruptedException {
    HttpResponse<InputStream> r;
    try {
      r = client().send(HttpRequest.newBuilder(URI.create(op.url())).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new IOException("cannot download " + op.url() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
    try (InputStream body = r.body()) {
      if (r.statusCode() / 100 != 2) {
        throw new IOException("cannot download " + op.url() + ": HTTP " + r.statusCode());
      }
      Digest d;
      try (ContentStore.Writer w = content.writer()) {
        body.transferTo(w);
        try {
          d = w.commit(op.checksum());
        } catch (dev.jbuild.cache.CorruptContentException e) {
          throw new IOException("the content of " + op.url() + " does not match --checksum=" + op.checksum().orElseThrow(), e);
        }
      }
      Optional<Instant> modified = r.headers().firstValue("Last-Modified").flatMap(HttpFetcher::parseHttpDate);
      return new Fetched(d, modified);
    }
  }

  private static Optional<Instant> parseHttpDate(String s) {
    try {
      return Optional.of(ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

}
