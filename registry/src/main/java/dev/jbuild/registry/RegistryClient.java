package dev.jbuild.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Json;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.registry.RegistryException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A client of the OCI distribution API. Manifests and indexes travel as exact bytes (their
 * digests are what other tools see); blobs are streamed, never held in memory. One instance
 * (one HTTP connection pool, one token cache) should serve a whole build; it is thread-safe.
 */
public final class RegistryClient implements AutoCloseable {
  /** All manifest kinds we understand; schema 1 is deliberately absent. */
  static final String MANIFEST_ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
      MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);
  /** containerd's limit: a manifest larger than this is not a manifest. */
  static final long MAX_MANIFEST_BYTES = 4 << 20;
  private static final int COPY_BUFFER = 256 * 1024;

  private final RegistryHttp http;

  private RegistryClient(RegistryHttp http) {
    this.http = http;
  }

  public static RegistryClient create(RegistryConfig config) {
    return new RegistryClient(new RegistryHttp(config));
  }

  public RegistryConfig config() {
    return http.config();
  }

  /** Stops the HTTP clients' threads (on Java 21+; earlier runtimes cannot), so the JVM exits at once. */
  @Override
  public void close() {
    http.close();
  }

  // ---- pull -----------------------------------------------------------------------------

  /**
   * Fetches the manifest or index {@code ref} names (by digest if it has one, else by tag), trying
   * configured mirrors first.
   */
  public FetchedManifest fetchManifest(ImageReference ref) throws RegistryException {
    return fromPullSources(ref, registry -> fetchManifestFrom(registry, ref));
  }

  private FetchedManifest fetchManifestFrom(String registry, ImageReference ref) throws RegistryException {
    HttpResponse<InputStream> r = http.send(new RegistryHttp.Call(registry, ref.toString(), "GET",
        "/v2/" + ref.repository() + "/manifests/" + ref.manifestSelector(),
        Map.of("Accept", MANIFEST_ACCEPT), null, pullScope(ref), true));
    if (r.statusCode() != 200) {
      throw failure(r, ref.toString(), registry, "fetching the manifest");
    }
    byte[] bytes;
    try {
      bytes = RegistryHttp.readLimited(r, MAX_MANIFEST_BYTES);
    } catch (IOException e) {
      throw RegistryHttp.unreachable(registry + " (reading the manifest of " + ref + ")", e);
    }
    if (bytes == null) {
      throw new RegistryException(Kind.INVALID_CONTENT, ref + ": the manifest is larger than "
          + (MAX_MANIFEST_BYTES >> 20) + " MiB");
    }
    String mediaType = manifestMediaType(ref, r.headers().firstValue("Content-Type").orElse(""), bytes);
    Digest digest = Digest.sha256(bytes);
    if (ref.digest().isPresent() && !ref.digest().get().equals(digest)) {
      throw new RegistryException(Kind.INVALID_CONTENT, ref + ": the registry returned a manifest with digest "
          + digest + ", not the requested one");
    }
    Optional<String> claimed = r.headers().firstValue("Docker-Content-Digest");
    if (claimed.isPresent() && claimed.get().startsWith("sha256:") && !claimed.get().equals(digest.toString())) {
      throw new RegistryException(Kind.INVALID_CONTENT, ref + ": the manifest's bytes have digest " + digest
          + " but the registry says " + claimed.get());
    }
    return new FetchedManifest(bytes, mediaType, digest);
  }

  /** The media type from Content-Type, or from the document when the registry sends a generic one. */
  private static String manifestMediaType(ImageReference ref, String contentType, byte[] bytes) throws RegistryException {
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!(MediaTypes.isIndex(type) || MediaTypes.isManifest(type) || isSchema1(type))) {
      JsonNode doc;
      try {
        doc = Json.MAPPER.readTree(bytes);
      } catch (IOException e) {
        throw new RegistryException(Kind.INVALID_CONTENT, ref + ": the manifest is not valid JSON", e);
      }
      type = doc.path("mediaType").asText("");
      if (type.isEmpty()) {
        if (doc.path("schemaVersion").asInt(0) == 1) {
          type = "application/vnd.docker.distribution.manifest.v1+json";
        } else if (doc.has("manifests")) {
          type = MediaTypes.OCI_INDEX;
        } else if (doc.has("config")) {
          type = MediaTypes.OCI_MANIFEST;
        }
      }
    }
    if (isSchema1(type)) {
      throw new RegistryException(Kind.INVALID_CONTENT, ref + " uses Docker's old schema 1 manifest format,"
          + " which jbuild does not support: push it again with a current docker or buildx");
    }
    if (!MediaTypes.isIndex(type) && !MediaTypes.isManifest(type)) {
      throw new RegistryException(Kind.INVALID_CONTENT, ref + ": not an image manifest or index (media type "
          + (type.isEmpty() ? "unknown" : type) + ")");
    }
    return type;
  }

  private static boolean isSchema1(String type) {
    return type.startsWith("application/vnd.docker.distribution.manifest.v1");
  }

  /**
   * Streams a blob to {@code dest}: into a temporary file beside it, verified against
   * {@code digest}, synced, then renamed into place, so {@code dest} is complete or absent.
   * A download cut short is started again.
   *
   * @throws UncheckedIOException when {@code dest} cannot be written (a local problem)
   */
  public void fetchBlob(ImageReference repo, Digest digest, Path dest) throws RegistryException {
    Path dir = dest.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    fromPullSources(repo, registry -> {
      downloadBlob(registry, repo, digest, dest.toAbsolutePath());
      return null;
    });
  }

  private void downloadBlob(String registry, ImageReference repo, Digest digest, Path dest) throws RegistryException {
    String subject = repo.repositoryName() + "@" + digest;
    for (int attempt = 1; ; attempt++) {
      HttpResponse<InputStream> r = http.send(new RegistryHttp.Call(registry, subject, "GET",
          "/v2/" + repo.repository() + "/blobs/" + digest, Map.of(), null, pullScope(repo), true));
      if (r.statusCode() != 200) {
        throw failure(r, subject, registry, "fetching a blob");
      }
      Path tmp = createTempBeside(dest);
      try {
        Digest got = copyAndDigest(r, tmp);
        if (!got.equals(digest)) {
          if (attempt < http.config().maxAttempts()) {
            // corrupted on the way (a proxy, a cut connection whose length was rewritten): fetch it again
            RegistryHttp.sleep(java.time.Duration.ofMillis(200L << attempt));
            continue;
          }
          throw new RegistryException(Kind.INVALID_CONTENT, subject + ": the registry sent content with digest " + got
              + " (" + attempt + " attempts)");
        }
        try {
          Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot move the downloaded blob to " + dest, e);
        }
        tmp = null;
        syncDirectory(dest.getParent());
        return;
      } catch (IOException networkFailure) {
        if (attempt < http.config().maxAttempts() && RegistryHttp.isTransient(networkFailure)) {
          RegistryHttp.sleep(java.time.Duration.ofMillis(200L << attempt));
          continue;
        }
        throw RegistryHttp.unreachable(registry + " (downloading " + subject + ")", networkFailure);
      } finally {
        if (tmp != null) {
          try {
            Files.deleteIfExists(tmp);
          } catch (IOException ignored) {
            // a stray .partial file is never trusted: it has no digest name
          }
        }
      }
    }
  }

  private static Path createTempBeside(Path dest) {
    try {
      return Files.createTempFile(dest.getParent(), "." + dest.getFileName() + ".", ".partial");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a file in " + dest.getParent(), e);
    }
  }

  /**
   * Copies the body into {@code tmp} while hashing it. An IOException is a network failure;
   * a local write failure is an UncheckedIOException (retrying the download would not help).
   */
  private static Digest copyAndDigest(HttpResponse<InputStream> r, Path tmp) throws IOException {
    MessageDigest md = Digest.newSha256();
    try (InputStream in = r.body(); FileChannel out = openForWrite(tmp)) {
      byte[] buf = new byte[COPY_BUFFER];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
        try {
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          while (bb.hasRemaining()) {
            out.write(bb);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write " + tmp, e);
        }
      }
      try {
        out.force(true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot sync " + tmp, e);
      }
    }
    return Digest.of(md);
  }

  private static FileChannel openForWrite(Path file) {
    try {
      return FileChannel.open(file, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // not every file system lets a directory be synced; the rename itself is atomic
    }
  }

  /**
   * Opens a blob's bytes as the registry sends them, for a store that verifies and writes them
   * itself (the content store's one write path). The caller checks the digest and retries.
   */
  public InputStream openBlob(ImageReference repo, Digest digest) throws RegistryException {
    return fromPullSources(repo, registry -> getBlob(registry, repo, digest).body());
  }

  /** GET of a blob from one registry, answered 200. */
  private HttpResponse<InputStream> getBlob(String registry, ImageReference repo, Digest digest) throws RegistryException {
    String subject = repo.repositoryName() + "@" + digest;
    HttpResponse<InputStream> r = http.send(new RegistryHttp.Call(registry, subject, "GET",
        "/v2/" + repo.repository() + "/blobs/" + digest, Map.of(), null, pullScope(repo), true));
    if (r.statusCode() != 200) {
      throw failure(r, subject, registry, "fetching a blob");
    }
    return r;
  }

  /**
   * Fetches a small blob (a config) into memory, verified; fails if it exceeds {@code maxBytes}.
   * A body cut short or with the wrong digest is fetched again, as {@link #fetchBlob} does.
   */
  public byte[] fetchBlobBytes(ImageReference repo, Digest digest, long maxBytes) throws RegistryException {
    return fromPullSources(repo, registry -> {
      String subject = repo.repositoryName() + "@" + digest;
      for (int attempt = 1; ; attempt++) {
        boolean last = attempt >= http.config().maxAttempts();
        HttpResponse<InputStream> r = getBlob(registry, repo, digest);
        byte[] bytes;
        try {
          bytes = RegistryHttp.readLimited(r, maxBytes);
        } catch (IOException e) {
          if (!last && RegistryHttp.isTransient(e)) {
            RegistryHttp.sleep(java.time.Duration.ofMillis(200L << attempt));
            continue;
          }
          throw RegistryHttp.unreachable(registry + " (downloading " + subject + ")", e);
        }
        if (bytes == null) {
          throw new RegistryException(Kind.INVALID_CONTENT, subject + ": blob is larger than " + maxBytes + " bytes");
        }
        Digest got = Digest.sha256(bytes);
        if (!got.equals(digest)) {
          if (!last) {
            RegistryHttp.sleep(java.time.Duration.ofMillis(200L << attempt));
            continue;
          }
          throw new RegistryException(Kind.INVALID_CONTENT, subject + ": the registry sent content with digest " + got
              + " (" + attempt + " attempts)");
        }
        return bytes;
      }
    });
  }

  public boolean hasBlob(ImageReference repo, Digest digest) throws RegistryException {
    return blobExists(repo, digest, pullScope(repo));
  }

  private boolean blobExists(ImageReference repo, Digest digest, List<String> scopes) throws RegistryException {
    String subject = repo.repositoryName() + "@" + digest;
    HttpResponse<InputStream> r = http.send(new RegistryHttp.Call(repo.registry(), subject, "HEAD",
        "/v2/" + repo.repository() + "/blobs/" + digest, Map.of(), null, scopes, true));
    if (r.statusCode() == 200 || r.statusCode() == 404) {
      RegistryHttp.discard(r);
      return r.statusCode() == 200;
    }
    throw failure(r, subject, repo.registry(), "checking for a blob");
  }

  // ---- push -----------------------------------------------------------------------------

  /**
   * Uploads a blob unless the repository has it (HEAD first). With {@code mountFrom} on the same
   * registry, asks for a cross-repository mount first, which copies nothing. {@code source} is
   * opened only when bytes are actually sent (again if the upload is retried).
   *
   * @throws UncheckedIOException when {@code source} cannot be read (a local problem)
   */
  public void pushBlob(ImageReference repo, Digest digest, long size, BlobSource source,
                       Optional<ImageReference> mountFrom) throws RegistryException {
    List<String> scopes = new ArrayList<>(pushScope(repo));
    if (blobExists(repo, digest, scopes)) {
      return;
    }
    String subject = repo.repositoryName() + "@" + digest;
    Optional<ImageReference> from = mountFrom.filter(m -> m.registry().equals(repo.registry())
        && !m.repository().equals(repo.repository()));
    for (int attempt = 1; ; attempt++) {
      try {
        String uploadUrl = startUpload(repo, digest, from, subject);
        if (uploadUrl == null) {
          return; // mounted
        }
        finishUpload(repo, digest, size, source, subject, uploadUrl);
        return;
      } catch (RegistryException e) {
        // An upload session is not resumable after a broken stream: start over with a new one.
        boolean transientFailure = e.kind() == Kind.UNREACHABLE && e.getCause() instanceof IOException io
            && RegistryHttp.isTransient(io);
        if (!transientFailure || attempt >= http.config().maxAttempts()) {
          throw e;
        }
        RegistryHttp.sleep(java.time.Duration.ofMillis(200L << attempt));
      }
    }
  }

  /** POST …/blobs/uploads/: returns the upload URL, or null when the blob was mounted. */
  private String startUpload(ImageReference repo, Digest digest, Optional<ImageReference> from, String subject)
      throws RegistryException {
    List<String> scopes = new ArrayList<>(pushScope(repo));
    String target = "/v2/" + repo.repository() + "/blobs/uploads/";
    if (from.isPresent()) {
      scopes.add("repository:" + from.get().repository() + ":pull");
      target += "?mount=" + RegistryHttp.enc(digest.toString()) + "&from=" + RegistryHttp.enc(from.get().repository());
    }
    HttpResponse<InputStream> r = http.send(new RegistryHttp.Call(repo.registry(), subject, "POST", target,
        Map.of(), HttpRequest.BodyPublishers::noBody, scopes, true));
    if (r.statusCode() != 202 && !(r.statusCode() == 201 && from.isPresent())) {
      throw failure(r, subject, repo.registry(), "starting an upload");
    }
    RegistryHttp.discard(r);
    if (r.statusCode() == 201) {
      return null;
    }
    return r.headers().firstValue("Location").orElseThrow(() -> new RegistryException(Kind.PROTOCOL,
        repo.registry() + " started an upload for " + subject + " but sent no Location"));
  }

  /** Monolithic upload: PUT &lt;location&gt;?digest=… with the whole blob as the body. */
  private void finishUpload(ImageReference repo, Digest digest, long size, BlobSource source, String subject,
                            String location) throws RegistryException {
    String target = location + (location.contains("?") ? "&" : "?") + "digest=" + RegistryHttp.enc(digest.toString());
    // Opened here so an unreadable source is reported as such, not as a network failure; a
    // re-sent request (after re-authentication) opens it again.
    InputStream first = openSource(source, digest, repo);
    java.util.concurrent.atomic.AtomicReference<InputStream> unused = new java.util.concurrent.atomic.AtomicReference<>(first);
    Supplier<HttpRequest.BodyPublisher> body = () -> HttpRequest.BodyPublishers.fromPublisher(
        new StreamPublisher(() -> {
          InputStream s = unused.getAndSet(null);
          return s != null ? s : openSource(source, digest, repo);
        }), size);
    HttpResponse<InputStream> r;
    try {
      r = http.send(new RegistryHttp.Call(repo.registry(), subject, "PUT", target,
          Map.of("Content-Type", "application/octet-stream"), body, pushScope(repo), false));
    } finally {
      closeQuietly(first);
    }
    if (r.statusCode() != 201 && r.statusCode() != 204) {
      throw failure(r, subject, repo.registry(), "uploading a blob");
    }
    RegistryHttp.discard(r);
  }

  private static InputStream openSource(BlobSource source, Digest digest, ImageReference repo) {
    try {
      return source.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the blob " + digest + " to push it to " + repo.repositoryName(), e);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // the upload is over either way
    }
  }

  /**
   * Pushes a manifest or index with exactly these bytes under a tag or its digest.
   *
   * @return the digest of {@code bytes}, which the registry confirmed
   */
  public Digest pushManifest(ImageReference repo, String tagOrDigest, byte[] bytes, String mediaType)
      throws RegistryException {
    Digest digest = Digest.sha256(bytes);
    if (tagOrDigest.startsWith("sha256:") && !tagOrDigest.equals(digest.toString())) {
      throw new IllegalArgumentException("pushing a manifest by digest " + tagOrDigest
          + " but its bytes have digest " + digest);
    }
    ImageReference target = tagOrDigest.contains(":") ? repo.pinned(digest) : repo.withTag(tagOrDigest);
    byte[] body = bytes.clone();
    HttpResponse<InputStream> r = http.send(new RegistryHttp.Call(repo.registry(), target.toString(), "PUT",
        "/v2/" + repo.repository() + "/manifests/" + tagOrDigest, Map.of("Content-Type", mediaType),
        () -> HttpRequest.BodyPublishers.ofByteArray(body), pushScope(repo), true));
    if (r.statusCode() != 201 && r.statusCode() != 200 && r.statusCode() != 202) {
      throw failure(r, target.toString(), repo.registry(), "pushing the manifest");
    }
    Optional<String> claimed = r.headers().firstValue("Docker-Content-Digest");
    RegistryHttp.discard(r);
    if (claimed.isPresent() && !claimed.get().equals(digest.toString())) {
      throw new RegistryException(Kind.INVALID_CONTENT, target + ": the registry stored the manifest as "
          + claimed.get() + " instead of " + digest + " (it changed the bytes)");
    }
    return digest;
  }

  // ---- shared ---------------------------------------------------------------------------

  @FunctionalInterface
  private interface PullAction<T> {
    T from(String registry) throws RegistryException;
  }

  /**
   * Runs a pull from the reference's mirrors in order, then from its own registry; when all fail
   * the registry's error is reported with what each mirror said.
   */
  private <T> T fromPullSources(ImageReference ref, PullAction<T> action) throws RegistryException {
    List<String> notes = new ArrayList<>();
    for (String mirror : http.config().mirrors().getOrDefault(ref.registry(), List.of())) {
      try {
        return action.from(mirror);
      } catch (RegistryException e) {
        if (e.kind() == Kind.INVALID_CONTENT) {
          throw e; // a mirror that serves wrong bytes is broken, not just missing something
        }
        notes.add("mirror " + mirror + ": " + e.getMessage());
      }
    }
    try {
      return action.from(ref.registry());
    } catch (RegistryException e) {
      if (notes.isEmpty()) {
        throw e;
      }
      throw new RegistryException(e.kind(), e.getMessage() + " [" + String.join("; ", notes) + "]", e);
    }
  }

  private static List<String> pullScope(ImageReference ref) {
    return List.of("repository:" + ref.repository() + ":pull");
  }

  private static List<String> pushScope(ImageReference ref) {
    return List.of("repository:" + ref.repository() + ":pull,push");
  }

  /** Turns an unexpected response into a message for people. Reads and closes the body. */
  private RegistryException failure(HttpResponse<InputStream> r, String subject, String registry, String doing) {
    String detail = RegistryHttp.errorDetail(RegistryHttp.errorBody(r));
    int status = r.statusCode();
    return switch (status) {
      case 404 -> new RegistryException(Kind.NOT_FOUND, subject + ": not found in the registry"
          + RegistryHttp.detailSuffix(detail.isEmpty() ? "HTTP 404" : detail));
      case 401 -> http.authFailure(registry, subject, http.hasCredentials(registry), detail);
      case 403 -> new RegistryException(Kind.UNAUTHORIZED, subject + ": access denied"
          + (http.hasCredentials(registry) ? " for the credentials from " + http.credentialSource() : "")
          + RegistryHttp.detailSuffix(detail));
      default -> new RegistryException(status == 400 && detail.contains("digest") ? Kind.INVALID_CONTENT : Kind.PROTOCOL,
          subject + ": " + doing + " failed: " + registry + " answered HTTP " + status + RegistryHttp.detailSuffix(detail));
    };
  }
}
