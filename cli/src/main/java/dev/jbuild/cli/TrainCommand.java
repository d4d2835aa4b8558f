package dev.jbuild.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.platform.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild debug train DIR} (hidden): what the launcher runs, once per distribution, while the
 * JVM records its class-data archive or AOT cache. Two real builds in this process against a
 * registry served from this process on loopback: a cold one (resolve and pull over HTTP, unpack,
 * WORKDIR, COPY, a second stage, an OCI export) and a rebuild after a change (cache hits, a new
 * layer). So what a cold build loads — the HTTP client above all — comes from the archive too.
 * Needs no root, no runtime and no network; the store is $JBUILD_ROOT, which the launcher points at
 * a scratch directory.
 */
@Command(name = "train", hidden = true, description = "Run the start-up training builds in DIR (for the launcher).")
final class TrainCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "an empty scratch directory")
  Path dir;

  @Override
  public Integer call() throws Exception {
    byte[] tar = layerTar();
    byte[] layer = gzip(tar);
    Digest layerDigest = Digest.sha256(layer);
    Platform host = Platform.host();
    byte[] config = new ImageConfig(null, null, host.architecture(), host.os(), host.indexVariant(),
        ImageConfig.Container.EMPTY.withEnv("PATH", "/bin"),
        new ImageConfig.RootFs("layers", List.of(Digest.sha256(tar).toString())), null).toBytes();
    Digest configDigest = Digest.sha256(config);
    byte[] manifest = new Manifest(2, MediaTypes.OCI_MANIFEST, Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, config.length),
        List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layerDigest, layer.length)), Map.of()).toBytes();
    Digest manifestDigest = Digest.sha256(manifest);
    Map<String, byte[]> blobs = Map.of(layerDigest.toString(), layer, configDigest.toString(), config);

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v2/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/v2/")) {
        reply(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), null);
      } else if (path.equals("/v2/train/manifests/latest") || path.equals("/v2/train/manifests/" + manifestDigest)) {
        reply(exchange, 200, MediaTypes.OCI_MANIFEST, manifest, manifestDigest);
      } else if (path.startsWith("/v2/train/blobs/") && blobs.containsKey(path.substring("/v2/train/blobs/".length()))) {
        String d = path.substring("/v2/train/blobs/".length());
        reply(exchange, 200, "application/octet-stream", blobs.get(d), Digest.parse(d));
      } else {
        reply(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"NOT_FOUND\"}]}".getBytes(StandardCharsets.UTF_8), null);
      }
    });
    server.start();
    try {
      Path context = Files.createDirectories(dir.resolve("context"));
      Files.writeString(context.resolve("f"), "training\n".repeat(8000)); // over 64 KiB: the native digest path too
      Files.writeString(context.resolve("Dockerfile"), String.join("\n",
          "ARG BASE=train", "FROM ${BASE} AS base", "ARG A=1", "ENV B=$A", "WORKDIR /w", "COPY f ./",
          "FROM scratch", "COPY --from=base /w/f /f", "LABEL l=1", ""));
      String[] build = {"build", "--progress=quiet", "--build-arg", "BASE=127.0.0.1:" + server.getAddress().getPort() + "/train",
          "-o", "type=oci,dest=" + dir.resolve("out.tar"), context.toString()};
      int first = Main.run(build);
      Files.writeString(context.resolve("f"), "changed\n", java.nio.file.StandardOpenOption.APPEND);
      int second = Main.run(build);
      int withRun = dev.jbuild.nativeexec.RootlessLauncher.needed() ? 0 : trainRun(dir, server.getAddress().getPort());
      return first == 0 && second == 0 && withRun == 0 ? 0 : 1;
    } finally {
      server.stop(0);
    }
  }

  /**
   * As root (where RUN needs no second process for a user namespace): a build with RUN steps, then
   * the same build again (all cached), the path of most everyday builds. The runtime is
   * a stand-in script that succeeds without running anything, so the training needs no runc and
   * starts no container; everything around it (mounts, bundle, process, layer of the changes) runs.
   */
  private static int trainRun(Path dir, int port) throws IOException {
    Path runtime = Files.createDirectories(dir.resolve("runtime")).resolve("runc");
    Files.writeString(runtime, "#!/bin/sh\necho training\n");
    runtime.toFile().setExecutable(true);
    Path context = Files.createDirectories(dir.resolve("run-context"));
    Files.writeString(context.resolve("f"), "training\n");
    Files.writeString(Files.createDirectories(context.resolve("d")).resolve("g"), "nested\n");
    Files.writeString(context.resolve("Dockerfile"), String.join("\n",
        "ARG BASE=train", "FROM ${BASE}", "WORKDIR /w", "COPY . .", "RUN echo one > /one", "RUN [\"/bin/true\"]", ""));
    String[] build = {"build", "--progress=quiet", "--oci-runtime", runtime.toString(),
        "--build-arg", "BASE=127.0.0.1:" + port + "/train", "-o", "type=oci,dest=" + dir.resolve("run.tar"),
        context.toString()};
    int cold = Main.run(build);
    int cached = Main.run(build);
    return cold == 0 && cached == 0 ? 0 : 1;
  }

  /** A small root: a directory, a file, a symlink, as a base layer has. */
  private static byte[] layerTar() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry bin = new TarArchiveEntry("bin/");
      bin.setMode(040755);
      tar.putArchiveEntry(bin);
      tar.closeArchiveEntry();
      byte[] content = "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry sh = new TarArchiveEntry("bin/sh");
      sh.setMode(0100755);
      sh.setSize(content.length);
      tar.putArchiveEntry(sh);
      tar.write(content);
      tar.closeArchiveEntry();
      TarArchiveEntry link = new TarArchiveEntry("bin/true", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("sh");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static void reply(HttpExchange exchange, int status, String type, byte[] body, Digest digest) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Docker-Distribution-API-Version", "registry/2.0");
    if (digest != null) {
      exchange.getResponseHeaders().set("Docker-Content-Digest", digest.toString());
    }
    boolean head = exchange.getRequestMethod().equals("HEAD");
    if (head) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
    }
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }
}
