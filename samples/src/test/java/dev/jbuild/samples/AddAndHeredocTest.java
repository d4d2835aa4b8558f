package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.jbuild.oci.Digest;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ADD (archives, URLs, --checksum) and COPY here-documents, built FROM scratch and read back. */
class AddAndHeredocTest {
  private static final byte[] REMOTE = "remote content\n".getBytes(StandardCharsets.UTF_8);
  @TempDir Path work;
  private HttpServer server;
  private final AtomicInteger downloads = new AtomicInteger();

  @BeforeAll
  static void environment() {
    Prerequisites.requireRoot();
  }

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/files/tool.txt", x -> {
      downloads.incrementAndGet();
      x.getResponseHeaders().add("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT");
      x.sendResponseHeaders(200, REMOTE.length);
      x.getResponseBody().write(REMOTE);
      x.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/files/tool.txt";
  }

  private Processes.Result build(Path ctx, String dockerfile, Path out) throws Exception {
    Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
    return Cli.jbuild(work.resolve("store"), "build", "--progress=plain", "-o", "type=oci,dest=" + out, ctx.toString());
  }

  @Test
  void addExtractsArchivesDownloadsUrlsAndCopiesHeredocs() throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx"));
    Path tree = Files.createDirectories(work.resolve("tree/pkg/bin"));
    Files.writeString(tree.resolve("tool"), "#!/bin/sh\n");
    Processes.run(List.of("tar", "-czf", ctx.resolve("pkg.tar.gz").toString(), "-C", work.resolve("tree").toString(), "pkg"))
        .assertSuccess();
    Files.writeString(ctx.resolve("plain.txt"), "plain");
    String sum = Digest.sha256(REMOTE).toString();
    Path out = work.resolve("img.tar");
    Processes.Result r = build(ctx, String.join("\n",
        "FROM scratch",
        "ENV WHO=world",
        "ADD pkg.tar.gz /opt/",
        "ADD plain.txt /opt/plain.txt",
        "ADD --checksum=" + sum + " " + url() + " /downloads/",
        "COPY <<EOF /etc/greeting",
        "hello $WHO",
        "EOF",
        "COPY <<'EOF' /etc/literal",
        "hello $WHO",
        "EOF",
        "HEALTHCHECK --interval=30s --retries=3 CMD [\"/opt/pkg/bin/tool\", \"check\"]",
        ""), out);
    r.assertSuccess();
    Cli.assertNoStackTrace(r);

    OciImages.Image img = OciImages.open(out, work);
    Path root = img.rootfs();
    assertEquals("#!/bin/sh\n", Files.readString(root.resolve("opt/pkg/bin/tool")), "the archive was extracted");
    assertFalse(Files.exists(root.resolve("opt/pkg.tar.gz")));
    assertEquals("plain", Files.readString(root.resolve("opt/plain.txt")));
    Path downloaded = root.resolve("downloads/tool.txt");
    assertEquals("remote content\n", Files.readString(downloaded));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(downloaded)));
    assertEquals(java.time.Instant.parse("2015-10-21T07:28:00Z"), Files.getLastModifiedTime(downloaded).toInstant());
    assertEquals("hello world\n", Files.readString(root.resolve("etc/greeting")));
    assertEquals("hello $WHO\n", Files.readString(root.resolve("etc/literal")));

    var hc = img.config().get("config").get("Healthcheck");
    assertEquals("[\"CMD\",\"/opt/pkg/bin/tool\",\"check\"]", hc.get("Test").toString());
    assertEquals(30_000_000_000L, hc.get("Interval").asLong());
    assertEquals(3, hc.get("Retries").asInt());

    // a rebuild downloads again (to learn whether the content changed) but runs nothing else
    Processes.Result again = build(ctx, Files.readString(ctx.resolve("Dockerfile")), out);
    again.assertSuccess();
    assertTrue(PlainProgress.outcomes(again.stderr()).values().stream().allMatch(v -> v.equals("CACHED") || v.equals("DONE")));
    assertTrue(PlainProgress.outcomes(again.stderr()).entrySet().stream()
        .filter(e -> e.getKey().contains("] ADD ") || e.getKey().contains("] COPY "))
        .allMatch(e -> e.getValue().equals("CACHED")), again.stderr());
  }

  @Test
  void aWrongChecksumFailsTheBuild() throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx2"));
    String wrong = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8)).toString();
    Processes.Result r = build(ctx, "FROM scratch\nADD --checksum=" + wrong + " " + url() + " /x\n", work.resolve("bad.tar"));
    assertEquals(1, r.exitCode(), r.stderr());
    Cli.assertNoStackTrace(r);
    assertTrue(r.stderr().contains("Dockerfile:2:1:"), r.stderr());
    assertTrue(r.stderr().contains("does not match --checksum=" + wrong), r.stderr());
  }

  @Test
  void anUnreachableUrlIsAClearError() throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx3"));
    server.stop(0);
    Processes.Result r = build(ctx, "FROM scratch\nADD " + url() + " /x\n", work.resolve("none.tar"));
    assertEquals(1, r.exitCode(), r.stderr());
    Cli.assertNoStackTrace(r);
    assertTrue(r.stderr().contains("cannot download " + url()), r.stderr());
  }
}
