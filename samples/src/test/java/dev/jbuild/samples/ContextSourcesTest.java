package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the context and the Dockerfile come from: {@code -f -}, {@code -} (tar or Dockerfile on
 * stdin), an http tarball or Dockerfile, and a git repository served over http by a real git
 * server layout ({@code URL.git#ref:dir}); each build exports its files with {@code -o type=local}.
 */
class ContextSourcesTest {
  @TempDir static Path work;
  static Path store;
  static HttpServer http;
  static String base;

  @BeforeAll
  static void serve() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireProgram("git", "git");
    store = Files.createDirectories(work.resolve("store"));
    Path site = Files.createDirectories(work.resolve("site"));
    Path src = context(work.resolve("src"), "from-tar");
    Processes.run(List.of("tar", "-czf", site.resolve("ctx.tar.gz").toString(), "-C", src.toString(), ".")).assertSuccess();
    Files.writeString(site.resolve("Dockerfile"), "FROM scratch\nLABEL only=dockerfile\n");
    // a repository with the context in sub/ on branch "release"; main holds something else
    Path repo = Files.createDirectories(work.resolve("repo"));
    git(repo, "init", "-q", "-b", "main");
    Files.writeString(repo.resolve("README"), "main branch\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "main");
    git(repo, "checkout", "-q", "-b", "release");
    context(repo.resolve("sub"), "from-git");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "release");
    git(repo, "checkout", "-q", "main");
    Processes.run(List.of("git", "clone", "-q", "--bare", repo.toString(), site.resolve("repo.git").toString())).assertSuccess();
    git(site.resolve("repo.git"), "update-server-info"); // the "dumb" http protocol: plain files
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", exchange -> {
      Path f = site.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
      if (!f.startsWith(site) || !Files.isRegularFile(f)) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.sendResponseHeaders(200, Files.size(f));
        Files.copy(f, exchange.getResponseBody());
      }
      exchange.close();
    });
    http.start();
    base = "http://127.0.0.1:" + http.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.stop(0);
    }
  }

  private static void git(Path dir, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com"));
    cmd.addAll(List.of(args));
    Processes.run(cmd, dir, Map.of(), 60).assertSuccess();
  }

  /** A context whose Dockerfile copies a marker file and a nested file. */
  private static Path context(Path dir, String marker) throws Exception {
    Files.createDirectories(dir.resolve("nested"));
    Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY . /ctx/\n");
    Files.writeString(dir.resolve("marker"), marker);
    Files.writeString(dir.resolve("nested/file"), "nested of " + marker);
    return dir;
  }

  /** What {@code COPY . /ctx/} of {@link #context} leaves in the image. */
  private static Map<String, String> copied(String marker) {
    return Map.of("ctx/Dockerfile", "FROM scratch\nCOPY . /ctx/\n", "ctx/marker", marker, "ctx/nested/file", "nested of " + marker);
  }

  /** Every regular file under dir as path=content. */
  private static Map<String, String> files(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).collect(Collectors.toMap(p -> dir.relativize(p).toString(), p -> {
        try {
          return Files.readString(p);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, (a, b) -> a, java.util.TreeMap::new));
    }
  }

  private static Processes.Result build(Path stdin, String... args) {
    Processes.Result r = Cli.jbuildWithStdin(store, stdin, args);
    Cli.assertNoStackTrace(r);
    return r.assertSuccess();
  }

  @Test
  void dockerfileFromStdinWithADirectoryContext() throws Exception {
    Path ctx = context(work.resolve("stdin-df"), "dir");
    Path dockerfile = Files.writeString(work.resolve("df-stdin"), "FROM scratch\nCOPY marker /only-marker\n");
    Path out = work.resolve("out-stdin-df");
    build(dockerfile, "build", "--progress=plain", "-f", "-", "-o", "type=local,dest=" + out, ctx.toString());
    assertEquals(Map.of("only-marker", "dir"), files(out));
  }

  @Test
  void tarContextFromStdin() throws Exception {
    Path ctx = context(work.resolve("stdin-tar"), "stdin-tar");
    Path tar = work.resolve("stdin.tar");
    Processes.run(List.of("tar", "-cf", tar.toString(), "-C", ctx.toString(), ".")).assertSuccess();
    Path out = work.resolve("out-stdin-tar");
    build(tar, "build", "--progress=plain", "-o", "type=local,dest=" + out, "-");
    assertEquals(copied("stdin-tar"), files(out));
  }

  @Test
  void aDockerfileOnStdinHasAnEmptyContext() throws Exception {
    Path dockerfile = Files.writeString(work.resolve("plain-df"), "FROM scratch\nCOPY . /ctx/\n");
    Path iid = work.resolve("plain.iid");
    Path out = work.resolve("out-plain");
    build(dockerfile, "build", "--progress=plain", "--iidfile", iid.toString(), "-o", "type=local,dest=" + out, "-");
    assertEquals(Map.of(), files(out));
    assertEquals(true, Files.readString(iid, StandardCharsets.UTF_8).startsWith("sha256:"));
  }

  @Test
  void httpTarballContext() throws Exception {
    Path out = work.resolve("out-http");
    build(null, "build", "--progress=plain", "-o", "type=local,dest=" + out, base + "/ctx.tar.gz");
    assertEquals(copied("from-tar"), files(out));
  }

  @Test
  void httpDockerfileContext() throws Exception {
    Path out = work.resolve("out-http-df.tar");
    build(null, "build", "--progress=plain", "-o", "type=oci,dest=" + out, base + "/Dockerfile");
    String config = Processes.run(List.of("skopeo", "inspect", "--config", "oci-archive:" + out)).assertSuccess().stdout();
    assertEquals("dockerfile", new com.fasterxml.jackson.databind.ObjectMapper().readTree(config)
        .at("/config/Labels/only").asText(), config);
  }

  @Test
  void gitContextAtARefAndSubdirectory() throws Exception {
    Path out = work.resolve("out-git");
    build(null, "build", "--progress=plain", "-o", "type=local,dest=" + out, base + "/repo.git#release:sub");
    assertEquals(copied("from-git"), files(out));
  }

  @Test
  void aMissingGitRefIsExplained() {
    Processes.Result r = Cli.jbuildWithStdin(store, null, "build", "--progress=plain", base + "/repo.git#nope");
    Cli.assertNoStackTrace(r);
    assertEquals(1, r.exitCode(), r.stderr());
    assertEquals(true, r.stderr().startsWith("ERROR: unable to prepare context: git checkout of " + base
        + "/repo.git#nope failed:"), r.stderr());
  }
}
