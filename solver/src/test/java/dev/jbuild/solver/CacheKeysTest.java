package dev.jbuild.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jbuild.cache.CacheKey;
import dev.jbuild.cache.ContentStore;
import dev.jbuild.nativeexec.NetworkMode;
import dev.jbuild.nativeexec.Security;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.platform.Platform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache keys change when and only when something that affects the result changes. */
class CacheKeysTest {
  private static final Digest LAYER = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));
  private static final Digest DIFF = Digest.sha256("diff".getBytes(StandardCharsets.UTF_8));

  @TempDir Path store;
  @TempDir Path context;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(context.resolve("a.txt"), "hello\n");
    Files.setPosixFilePermissions(context.resolve("a.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.createDirectory(context.resolve("dir"));
    Files.writeString(context.resolve("dir/b.txt"), "b\n");
    Files.setPosixFilePermissions(context.resolve("dir/b.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(context.resolve("dir"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(context.resolve("dir/link"), Path.of("b.txt"));
  }

  private CacheKeys keys() throws Exception {
    return new CacheKeys(new HttpFetcher(new ContentStore(store)), new StatCache(store.resolve("statcache")));
  }

  private CacheKey key(Op op) throws Exception {
    return keys().of(new Vertex(op, "step"));
  }

  private static Vertex image(String ref) {
    return new Vertex(new Op.Image("127.0.0.1:5000/busybox@" + ref, "127.0.0.1:5000/busybox", Platform.LINUX_AMD64,
        List.of(new Layer(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, LAYER, 123), DIFF))), "FROM busybox");
  }

  private static final String REF = "sha256:" + "a".repeat(64);

  private static Op.Exec exec(Vertex root) {
    return new Op.Exec(root, List.of("/bin/sh", "-c", "echo hi"), List.of("PATH=/bin"), "/", "",
        NetworkMode.HOST, Platform.LINUX_AMD64);
  }

  private Op.Copy copyFromContext(Vertex dest, List<String> sources) {
    return new Op.Copy(dest, new Op.CopySource.Context(context, PathFilter.NONE), sources, "/app/", Optional.empty(),
        Optional.empty(), false);
  }

  /** One op of each kind, as the frontend makes them; their keys as jbuild 0.1 computed them. */
  private Map<String, Op> everyKind() {
    Vertex base = image(REF);
    Vertex run = new Vertex(exec(base), "RUN echo hi");
    Map<String, Op> ops = new LinkedHashMap<>();
    ops.put("scratch", new Op.Scratch());
    ops.put("image", base.op());
    ops.put("exec", run.op());
    ops.put("exec with mounts", new Op.Exec(base, List.of("/bin/sh", "-c", "make"), List.of(), "/src", "1000:1000",
        NetworkMode.NONE, Platform.LINUX_ARM64, List.of(
            new RunMount.Bind("/ctx", new Op.CopySource.Context(context, PathFilter.NONE), "dir", false),
            new RunMount.Bind("/stage", new Op.CopySource.State(run), "", true),
            new RunMount.Cache("/cache", "go", RunMount.Sharing.LOCKED, Optional.of(new Op.CopySource.State(run)),
                "tmp", 0755, 1, 2, false),
            new RunMount.Tmpfs("/tmp", 1 << 20),
            new RunMount.Secret("token", Optional.of("/run/secrets/token"), Optional.of("TOKEN"), true, 0400, 0, 0),
            new RunMount.Ssh("default", "/run/ssh", false, 0600, 0, 0),
            new RunMount.Script("/dev/pipes/script", "echo x\n", 0755)),
        Security.INSECURE));
    ops.put("copy from context", copyFromContext(run, List.of("a.txt", "dir")));
    ops.put("copy from stage", new Op.Copy(run, new Op.CopySource.State(base), List.of("/bin/busybox"), "/usr/bin/",
        Optional.of("app:app"), Optional.of(0755), true));
    ops.put("inline", new Op.Inline(List.of(new Op.InlineFile("script.sh", "#!/bin/sh\necho hi\n"))));
    ops.put("http", new Op.Http("http://127.0.0.1:1/f.tar", Optional.of(LAYER), "f.tar"));
    ops.put("mkdir", new Op.Mkdir(run, "/work/dir", 0755, "app"));
    return ops;
  }

  /**
   * Existing caches stay valid: these keys were computed by the CacheKeys of commit 4ccae89,
   * before each op kind got its own handler.
   */
  @Test
  void keysOfEveryOpKindAreThoseOfEarlierReleases() throws Exception {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("scratch", "sha256:d9581d0149b4428b22055bcceb78e251073efc25ad878ad7f954086b7be30530");
    expected.put("image", "sha256:edbeabb5786d3bf9e9c435f3f75b0c165e0a385265380432b4c98407a2493fdc");
    expected.put("exec", "sha256:860f6536b697d3e46690d351a69a20c7d86d361e122f663f143def4b4569d8df");
    expected.put("exec with mounts", "sha256:d8dd0f1ca4b0b0e5a945de17096beda878bdfafa27e9ca4cb2228bb1ff64f441");
    expected.put("copy from context", "sha256:9cf240fe4521e4d763df500b1af238cda63f8d9f0be4df3010184ebd631775ae");
    expected.put("copy from stage", "sha256:411054ec08d65a31ad550c6069226c1c79690a4111ef08cd44ff852d15045101");
    expected.put("inline", "sha256:ae0e4a3705f5a2f78b62201359c6d3bae7be29b9b6bd7c8aec40785ce1c1918e");
    expected.put("http", "sha256:2b2487f38fc0ca847d53bae90d186ab1d818652484e79faf3aaaeb01ada1c786");
    expected.put("mkdir", "sha256:e1ed0b81300964e593984d47b41da01433b75bf359aa5d3504634b7389e19f5a");
    Map<String, String> actual = new LinkedHashMap<>();
    for (Map.Entry<String, Op> e : everyKind().entrySet()) {
      actual.put(e.getKey(), key(e.getValue()).toString());
    }
    assertEquals(expected, actual);
  }

  @Test
  void equalOpsInDifferentVerticesHaveOneKey() throws Exception {
    CacheKeys keys = keys();
    Map<String, Op> a = everyKind();
    Map<String, Op> b = everyKind();
    for (String kind : a.keySet()) {
      assertEquals(keys.of(new Vertex(a.get(kind), "one")), keys.of(new Vertex(b.get(kind), "other name")), kind);
    }
  }

  @Test
  void everyOpFieldIsPartOfTheKey() throws Exception {
    Vertex base = image(REF);
    Op.Exec run = exec(base);
    assertChanges(run, List.of(
        new Op.Exec(image("sha256:" + "b".repeat(64)), run.args(), run.env(), run.cwd(), run.user(), run.network(),
            run.platform()),
        new Op.Exec(base, List.of("/bin/sh", "-c", "echo ho"), run.env(), run.cwd(), run.user(), run.network(),
            run.platform()),
        new Op.Exec(base, run.args(), List.of("PATH=/usr/bin"), run.cwd(), run.user(), run.network(), run.platform()),
        new Op.Exec(base, run.args(), run.env(), "/tmp", run.user(), run.network(), run.platform()),
        new Op.Exec(base, run.args(), run.env(), run.cwd(), "nobody", run.network(), run.platform()),
        new Op.Exec(base, run.args(), run.env(), run.cwd(), run.user(), NetworkMode.NONE, run.platform()),
        new Op.Exec(base, run.args(), run.env(), run.cwd(), run.user(), run.network(), Platform.LINUX_ARM64),
        new Op.Exec(base, run.args(), run.env(), run.cwd(), run.user(), run.network(), run.platform(),
            List.of(new RunMount.Tmpfs("/tmp", 0)), Security.SANDBOX),
        new Op.Exec(base, run.args(), run.env(), run.cwd(), run.user(), run.network(), run.platform(), List.of(),
            Security.INSECURE)));

    Op.Copy copy = new Op.Copy(base, new Op.CopySource.State(base), List.of("/a"), "/b/", Optional.empty(),
        Optional.empty(), false);
    assertChanges(copy, List.of(
        new Op.Copy(new Vertex(run, "RUN"), copy.source(), copy.sources(), copy.destination(), copy.chown(),
            copy.chmod(), false),
        new Op.Copy(base, new Op.CopySource.State(new Vertex(run, "RUN")), copy.sources(), copy.destination(),
            copy.chown(), copy.chmod(), false),
        new Op.Copy(base, copy.source(), List.of("/a", "/c"), copy.destination(), copy.chown(), copy.chmod(), false),
        new Op.Copy(base, copy.source(), copy.sources(), "/b", copy.chown(), copy.chmod(), false),
        new Op.Copy(base, copy.source(), copy.sources(), copy.destination(), Optional.of("1:1"), copy.chmod(), false),
        new Op.Copy(base, copy.source(), copy.sources(), copy.destination(), copy.chown(), Optional.of(0700), false),
        new Op.Copy(base, copy.source(), copy.sources(), copy.destination(), copy.chown(), copy.chmod(), true)));

    Op.Mkdir mkdir = new Op.Mkdir(base, "/w", 0755, "");
    assertChanges(mkdir, List.of(new Op.Mkdir(new Vertex(run, "RUN"), "/w", 0755, ""),
        new Op.Mkdir(base, "/x", 0755, ""), new Op.Mkdir(base, "/w", 0700, ""), new Op.Mkdir(base, "/w", 0755, "1")));

    Op.Inline inline = new Op.Inline(List.of(new Op.InlineFile("f", "x")));
    assertChanges(inline, List.of(new Op.Inline(List.of(new Op.InlineFile("g", "x"))),
        new Op.Inline(List.of(new Op.InlineFile("f", "y")))));

    Op.Http http = new Op.Http("http://127.0.0.1:1/f", Optional.of(LAYER), "f");
    assertChanges(http, List.of(new Op.Http(http.url(), Optional.of(DIFF), "f"),
        new Op.Http(http.url(), http.checksum(), "g")));
    // keyed by content: the same file from another address is the same input
    assertEquals(key(http), key(new Op.Http("http://127.0.0.1:2/other", Optional.of(LAYER), "f")));
  }

  private void assertChanges(Op original, List<Op> variants) throws Exception {
    CacheKey k = key(original);
    for (Op v : variants) {
      assertNotEquals(k, key(v), "changing " + original + " into " + v + " must change its key");
    }
  }

  @Test
  void aContextCopyIsKeyedByContentModeAndLinkTargetNeverByMtime() throws Exception {
    Vertex base = image(REF);
    Function<List<String>, Op> copy = sources -> copyFromContext(base, sources);
    CacheKey before = key(copy.apply(List.of("a.txt", "dir")));

    Files.setLastModifiedTime(context.resolve("a.txt"), FileTime.fromMillis(1_000));
    Files.setLastModifiedTime(context.resolve("dir"), FileTime.fromMillis(2_000));
    assertEquals(before, key(copy.apply(List.of("a.txt", "dir"))), "mtime is not part of the key");

    Files.writeString(context.resolve("other.txt"), "not selected");
    assertEquals(before, key(copy.apply(List.of("a.txt", "dir"))), "only the selected files count");

    Files.writeString(context.resolve("a.txt"), "hellO\n");
    CacheKey content = key(copy.apply(List.of("a.txt", "dir")));
    assertNotEquals(before, content, "content");

    Files.setPosixFilePermissions(context.resolve("dir/b.txt"), PosixFilePermissions.fromString("rwxr-xr-x"));
    CacheKey mode = key(copy.apply(List.of("a.txt", "dir")));
    assertNotEquals(content, mode, "mode");

    Files.delete(context.resolve("dir/link"));
    Files.createSymbolicLink(context.resolve("dir/link"), Path.of("../a.txt"));
    CacheKey link = key(copy.apply(List.of("a.txt", "dir")));
    assertNotEquals(mode, link, "link target");

    Files.writeString(context.resolve("a.txt"), "hello\n");
    Files.setPosixFilePermissions(context.resolve("dir/b.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.delete(context.resolve("dir/link"));
    Files.createSymbolicLink(context.resolve("dir/link"), Path.of("b.txt"));
    assertEquals(before, key(copy.apply(List.of("a.txt", "dir"))), "the same files again give the same key");
  }

  @Test
  void aBindMountOfTheContextIsKeyedByTheFilesItSelects() throws Exception {
    Vertex base = image(REF);
    Function<String, Op> run = path -> new Op.Exec(base, List.of("true"), List.of(), "/", "", NetworkMode.HOST,
        Platform.LINUX_AMD64, List.of(new RunMount.Bind("/ctx", new Op.CopySource.Context(context, PathFilter.NONE),
            path, false)), Security.SANDBOX);
    CacheKey before = key(run.apply("dir"));
    Files.writeString(context.resolve("a.txt"), "outside the mounted dir");
    assertEquals(before, key(run.apply("dir")));
    Files.writeString(context.resolve("dir/b.txt"), "changed");
    assertNotEquals(before, key(run.apply("dir")));
  }
}
