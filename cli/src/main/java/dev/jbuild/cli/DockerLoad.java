package dev.jbuild.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --load}: sends a Docker image archive to a running Docker daemon's {@code POST /images/load}
 * (the Engine API that {@code docker load} uses), over {@code $DOCKER_HOST} ({@code unix://} or
 * {@code tcp://} without TLS) or {@code /var/run/docker.sock}, so no docker client is needed.
 */
final class DockerLoad {
  static final String DEFAULT_SOCKET = "/var/run/docker.sock";

  private final String host;
  private final SocketAddress address;

  private DockerLoad(String host, SocketAddress address) {
    this.host = host;
    this.address = address;
  }

  /** The daemon named by the environment; an error that says what is missing when there is none. */
  static DockerLoad fromEnvironment(Map<String, String> env) throws UserError {
    String host = env.getOrDefault("DOCKER_HOST", "");
    if (host.isEmpty()) {
      host = "unix://" + DEFAULT_SOCKET;
    }
    if (host.startsWith("unix://")) {
      Path socket = Path.of(host.substring("unix://".length()));
      if (!Files.exists(socket)) {
        throw new UserError("--load needs a running Docker daemon, but there is no socket at " + socket
            + (env.containsKey("DOCKER_HOST") ? " (from DOCKER_HOST)" : "")
            + ": start dockerd (apt-get install -y docker.io), point DOCKER_HOST at its socket,"
            + " or write an archive with --output type=docker,dest=FILE.tar");
      }
      return new DockerLoad(host, UnixDomainSocketAddress.of(socket));
    }
    if (host.startsWith("tcp://")) {
      URI uri = URI.create(host);
      if ("1".equals(env.get("DOCKER_TLS_VERIFY"))) {
        throw new UserError("--load: DOCKER_HOST " + host + " with TLS is not supported by jbuild yet;"
            + " use a unix socket or --output type=docker,dest=FILE.tar");
      }
      return new DockerLoad(host, new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort()));
    }
    throw new UserError("--load: DOCKER_HOST=" + host + " is not supported (expected unix://PATH or tcp://HOST:PORT)");
  }

  /** buildx's answer for more than one platform: the classic image store holds one image per name. */
  static void requireSinglePlatform(int platforms) throws UserError {
    if (platforms > 1) {
      throw new UserError("docker exporter does not currently support exporting manifest lists:"
          + " --load takes one --platform (push the multi-platform image with --push, or write"
          + " --output type=oci,dest=FILE.tar)");
    }
  }

  /** Loads the archive; returns the daemon's report lines ("Loaded image: app:1.0"). */
  List<String> load(Path archive) throws UserError {
    try (SocketChannel channel = SocketChannel.open(address)) {
      OutputStream out = Channels.newOutputStream(channel);
      String head = "POST /images/load?quiet=1 HTTP/1.1\r\nHost: docker\r\nContent-Type: application/x-tar\r\n"
          + "Content-Length: " + Files.size(archive) + "\r\nConnection: close\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      Files.copy(archive, out);
      out.flush();
      Response r = Response.read(Channels.newInputStream(channel));
      List<String> loaded = new ArrayList<>();
      String error = null;
      ObjectMapper json = new ObjectMapper();
      for (String line : r.body().split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n;
        try {
          n = json.readTree(line);
        } catch (IOException notJson) {
          error = line.strip(); // error bodies of old daemons are plain text
          continue;
        }
        if (n.hasNonNull("error")) {
          error = n.get("error").asText();
        } else if (n.hasNonNull("message") && r.status() >= 400) {
          error = n.get("message").asText();
        } else if (n.hasNonNull("stream")) {
          loaded.add(n.get("stream").asText().strip());
        }
      }
      if (r.status() >= 400 || error != null) {
        throw new UserError("--load: the Docker daemon at " + host + " refused the image (HTTP " + r.status() + ")"
            + (error == null ? "" : ": " + error));
      }
      return loaded;
    } catch (IOException e) {
      throw new UserError("--load: cannot talk to the Docker daemon at " + host + ": " + e.getMessage()
          + " (is dockerd running, and may this user use its socket?)", e);
    }
  }

  /** A minimal HTTP/1.1 response: status and body (chunked or until the connection closes). */
  private record Response(int status, String body) {
    static Response read(InputStream in) throws IOException {
      String statusLine = line(in);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        throw new IOException("not an HTTP answer: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      boolean chunked = false;
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (chunked) {
        for (int size = Integer.parseInt(line(in).split(";")[0].strip(), 16); size > 0;
             size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) {
          body.write(in.readNBytes(size));
          line(in);
        }
      } else {
        in.transferTo(body);
      }
      return new Response(status, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        if (c != '\r') {
          sb.append((char) c);
        }
      }
      if (c < 0 && sb.length() == 0) {
        throw new IOException("the daemon closed the connection early");
      }
      return sb.toString();
    }
  }
}
