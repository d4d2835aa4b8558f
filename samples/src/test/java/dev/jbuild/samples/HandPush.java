package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.oci.Digest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Pushes hand-made blobs and manifests to a test registry over the plain distribution API (not
 * jbuild's client), as someone tampering with a repository would.
 */
final class HandPush {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private HandPush() {}

  static Digest blob(String hostPort, String repo, byte[] bytes) throws Exception {
    Digest d = Digest.sha256(bytes);
    HttpResponse<String> start = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/v2/" + repo
        + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(202, start.statusCode(), start.body());
    String location = start.headers().firstValue("Location").orElseThrow();
    URI put = URI.create("http://" + hostPort + "/").resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + d);
    HttpResponse<String> done = HTTP.send(HttpRequest.newBuilder(put).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, done.statusCode(), done.body());
    return d;
  }

  static Digest manifest(String hostPort, String repo, String tagOrDigest, String mediaType, byte[] bytes)
      throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/v2/" + repo
        + "/manifests/" + tagOrDigest)).header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return Digest.sha256(bytes);
  }
}
