package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.testkit.BaseImages;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, the frontend features Docker 20.10's BuildKit predates (so BuildKitDifferentialTest
 * cannot compare them): --build-context, --no-cache-filter, COPY --exclude and --parents, ONBUILD
 * triggers of a pushed base image, unused build args.
 */
@ExtendWith(RegistryExtension.class)
class FrontendFeaturesBuildTest {
  @TempDir Path work;

  @BeforeAll
  static void environment() {
    Prerequisites.requireBuildEnvironment();
  }

  private Path context(String dockerfile, Map<String, String> files) throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx" + System.nanoTime()));
    Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = ctx.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    return ctx;
  }

  /** The built rootfs (type=tar) as RootfsListing lines, and the build's output. */
  private record Built(Map<String, String> rootfs, Processes.Result result) {}

  private Built build(Path store, Path ctx, String... flags) throws Exception {
    Path tar = work.resolve("rootfs" + System.nanoTime() + ".tar");
    List<String> args = new java.util.ArrayList<>(List.of("build", "--progress=plain", "-o", "type=tar,dest=" + tar));
    args.addAll(List.of(flags));
    args.add(ctx.toString());
    Processes.Result r = Cli.jbuild(store, args.toArray(String[]::new));
    r.assertSuccess();
    Cli.assertNoStackTrace(r);
    return new Built(RootfsListing.of(tar), r);
  }

  private static String content(String text) throws Exception {
    return "file 0644 0:0 sha256:" + java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes()));
  }

  @Test
  void buildContextsReplaceImagesStagesAndCopySources(TestRegistry registry) throws Exception {
    Path project = Files.createDirectories(work.resolve("project"));
    Files.writeString(project.resolve("o.txt"), "from the named context\n");
    Path ctx = context(String.join("\n",
        "FROM alpine AS base", // alpine is replaced by the busybox image: there is no alpine anywhere here
        "RUN echo base > /b",
        "FROM base AS replaced",
        "RUN echo never > /never",
        "FROM layout",
        "COPY --from=proj o.txt /o.txt",
        "COPY --from=replaced /etc/passwd /replaced-passwd",
        "COPY --from=base /b /b",
        "RUN --mount=from=proj,target=/p cat /p/o.txt > /mounted",
        ""), Map.of());
    Built b = build(Files.createDirectories(work.resolve("store")), ctx,
        "--build-context", "alpine=docker-image://" + registry.busybox(),
        "--build-context", "proj=" + project,
        "--build-context", "replaced=docker-image://" + registry.busybox(),
        "--build-context", "layout=oci-layout://" + BaseImages.ociLayout() + ":" + BaseImages.tag());
    Map<String, String> r = b.rootfs();
    assertEquals(content("from the named context\n"), r.get("/o.txt"));
    assertEquals(content("from the named context\n"), r.get("/mounted"));
    assertEquals(content("base\n"), r.get("/b"));
    assertEquals(r.get("/etc/passwd").replace("/etc/passwd", ""), r.get("/replaced-passwd"));
    assertFalse(r.containsKey("/never"), "the stage named like the context is not built");
    assertTrue(r.get("/bin/busybox").startsWith("file 0755 0:0"), "the OCI layout's busybox is the base: " + r.get("/bin/busybox"));
  }

  @Test
  void badBuildContextsAreClearErrors() throws Exception {
    Path ctx = context("FROM scratch\n", Map.of());
    Processes.Result r = Cli.jbuild(work.resolve("store-bad"), "build", "--build-context", "x=no-such-dir", ctx.toString());
    assertEquals(1, r.exitCode(), r.stderr());
    Cli.assertNoStackTrace(r);
    assertEquals("ERROR: --build-context x=no-such-dir: \"no-such-dir\" is not a directory", r.stderr().strip());
    Processes.Result s = Cli.jbuild(work.resolve("store-bad"), "build", "--build-context", "x=git://example/repo", ctx.toString());
    assertEquals(1, s.exitCode(), s.stderr());
    assertTrue(s.stderr().contains("--build-context x=git://example/repo: this context source is not supported by jbuild yet"),
        s.stderr());
  }

  @Test
  void noCacheFilterRerunsTheStageAndWhatUsesIt(TestRegistry registry) throws Exception {
    Path ctx = context(String.join("\n",
        "FROM " + registry.busybox() + " AS deps",
        "RUN cat /proc/sys/kernel/random/uuid > /id",
        "FROM " + registry.busybox() + " AS other",
        "RUN cat /proc/sys/kernel/random/uuid > /other",
        "FROM other",
        "COPY --from=deps /id /id",
        ""), Map.of());
    Path store = Files.createDirectories(work.resolve("store-ncf"));
    Built first = build(store, ctx);
    Built cached = build(store, ctx);
    assertEquals(first.rootfs(), cached.rootfs(), "a plain rebuild is all cache hits");
    Built filtered = build(store, ctx, "--no-cache-filter", "deps");
    assertFalse(first.rootfs().get("/id").equals(filtered.rootfs().get("/id")), "the deps stage ran again");
    assertEquals(first.rootfs().get("/other"), filtered.rootfs().get("/other"), "the other stage stayed cached");
  }

  @Test
  void copyExcludeAndParents(TestRegistry registry) throws Exception {
    Map<String, String> files = new TreeMap<>(Map.of(
        "home.txt", "t", "homer", "r", "app/main.js", "main", "app/notes.md", "n",
        "app/node_modules/m/i.js", "m", "x/a/b/f.txt", "f", "y/c/g.txt", "g"));
    Path ctx = context(String.join("\n",
        "FROM " + registry.busybox(),
        "COPY --exclude=*.txt hom* /mydir/",
        "COPY --exclude=node_modules --exclude=*.md app /app",
        "COPY --parents x/a/b/f.txt ./y/./c /out/",
        ""), files);
    Map<String, String> r = build(Files.createDirectories(work.resolve("store-copy")), ctx).rootfs();
    assertEquals(content("r"), r.get("/mydir/homer"));
    assertFalse(r.containsKey("/mydir/home.txt"));
    assertEquals(content("main"), r.get("/app/main.js"));
    assertFalse(r.containsKey("/app/notes.md"));
    assertFalse(r.containsKey("/app/node_modules"));
    assertEquals(content("f"), r.get("/out/x/a/b/f.txt"));
    assertEquals(content("g"), r.get("/out/c/g.txt"));
    assertFalse(r.containsKey("/out/y"));
  }

  @Test
  void onBuildTriggersOfAPushedBaseRunOnceAndUnusedArgsAreWarned(TestRegistry registry) throws Exception {
    Path store = Files.createDirectories(work.resolve("store-onbuild"));
    String base = registry.hostPort() + "/onbuild-base:1";
    Path baseCtx = context(String.join("\n",
        "FROM " + registry.busybox(),
        "ONBUILD COPY trigger.txt /from-trigger.txt",
        "ONBUILD RUN echo ran > /trigger-ran",
        ""), Map.of());
    Cli.jbuild(store, "build", "--progress=plain", "-t", base, "--push", baseCtx.toString()).assertSuccess();
    Path ctx = context("FROM " + base + "\nRUN echo child > /child\n", Map.of("trigger.txt", "from the child context"));
    Path oci = work.resolve("child.tar");
    Processes.Result r = Cli.jbuild(store, "build", "--progress=plain", "--build-arg", "NOT_USED=1",
        "-o", "type=oci,dest=" + oci, ctx.toString());
    r.assertSuccess();
    assertTrue(r.stderr().contains("WARNING: one or more build-args [NOT_USED] were not consumed"), r.stderr());
    OciImages.Image image = OciImages.open(oci, work);
    assertEquals("from the child context", Files.readString(image.rootfs().resolve("from-trigger.txt")));
    assertEquals("ran\n", Files.readString(image.rootfs().resolve("trigger-ran")));
    JsonNode config = image.config().get("config");
    assertTrue(config.path("OnBuild").isMissingNode() || config.path("OnBuild").isNull() || config.path("OnBuild").isEmpty(),
        "the triggers are cleared from the child: " + config);
  }
  /** A git repository served by a static http server on loopback (git's "dumb" http protocol). */
  private static com.sun.net.httpserver.HttpServer serveStatic(Path root) throws Exception {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
      try (exchange) {
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        byte[] body = Files.readAllBytes(file);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    server.start();
    return server;
  }

  private static void git(Path dir, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("git", "-c", "user.email=t@example.com", "-c", "user.name=t"));
    cmd.addAll(List.of(args));
    Processes.run(cmd, dir, Map.of(), 60).assertSuccess();
  }

  @Test
  void addOfAGitRepositoryAtARefAndSubdir(TestRegistry registry) throws Exception {
    Prerequisites.requireProgram("git", "git");
    Path src = Files.createDirectories(work.resolve("git-src"));
    git(src, "init", "-q", "-b", "main");
    Files.createDirectories(src.resolve("sub/deep"));
    Files.writeString(src.resolve("a.txt"), "one\n");
    Files.writeString(src.resolve("sub/deep/d.txt"), "deep\n");
    Files.writeString(src.resolve("run.sh"), "#!/bin/sh\n");
    Processes.run(List.of("chmod", "0755", src.resolve("run.sh").toString())).assertSuccess();
    git(src, "add", "-A");
    git(src, "commit", "-qm", "one");
    git(src, "tag", "-a", "v1", "-m", "v1");
    Files.writeString(src.resolve("a.txt"), "two\n");
    git(src, "commit", "-qam", "two");
    Path served = Files.createDirectories(work.resolve("served"));
    git(work, "clone", "-q", "--bare", src.toString(), served.resolve("repo.git").toString());
    git(served.resolve("repo.git"), "update-server-info");
    com.sun.net.httpserver.HttpServer server = serveStatic(served);
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/repo.git";
      Path ctx = context(String.join("\n",
          "FROM " + registry.busybox(),
          "ADD " + url + " /head/",
          "ADD " + url + "#v1 /v1",
          "ADD " + url + "#main:sub /sub",
          "ADD --keep-git-dir " + url + "#v1 /kept",
          ""), Map.of());
      Map<String, String> r = build(Files.createDirectories(work.resolve("store-git")), ctx).rootfs();
      assertEquals(content("two\n"), r.get("/head/a.txt"));
      assertEquals(content("one\n"), r.get("/v1/a.txt"), "the annotated tag's commit");
      assertEquals(content("#!/bin/sh\n").replace("file 0644", "file 0755"), r.get("/v1/run.sh"));
      assertEquals(content("deep\n"), r.get("/v1/sub/deep/d.txt"));
      assertEquals(content("deep\n"), r.get("/sub/deep/d.txt"), "the subdir's contents");
      assertFalse(r.containsKey("/sub/a.txt"));
      assertFalse(r.containsKey("/head/.git"), ".git only with --keep-git-dir");
      assertTrue(r.containsKey("/kept/.git/HEAD"), r.keySet().stream().filter(k -> k.startsWith("/kept")).toList().toString());
      assertEquals(content("one\n"), r.get("/kept/a.txt"));
    } finally {
      server.stop(0);
    }
  }
}
