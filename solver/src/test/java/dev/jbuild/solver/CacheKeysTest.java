package dev.jbuild.solver;

import dev.jbuild.cache.CacheKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.nativeexec.NetworkMode;
import dev.jbuild.nativeexec.RunLimits;
import dev.jbuild.nativeexec.Security;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Layer;
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
   * Keys change only on purpose: these were computed by the per-op handlers at cache-key version 2
   * (COPY/ADD and RUN results changed meaning to match BuildKit, so version-1 records must not be
   * reused); the handlers gave the same keys as the CacheKeys of commit 4ccae89 at version 1.
   */
  @Test
  void keysOfEveryOpKindAreThoseOfEarlierReleases() throws Exception {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("scratch", "sha256:5a70c412fb68c434b0857ed90f5fe0c76a8bf28eab3ab1d04476119d47c9bff1");
    expected.put("image", "sha256:75c0ff95e5ab1ecb3e9ad0eda7c4780bfd85fe876eca58a719a3017915d25746");
    expected.put("exec", "sha256:77eac03c94b84e46a37d8b2ad18cc6e60274ae05a9b9e087f4a14843a69d04f9");
    expected.put("exec with mounts", "sha256:8fc9cac5ce0c8d712c05175e54388eaf6832973606255add733fd053bbad2a45");
    expected.put("copy from context", "sha256:c9a60a1859c2e0d73812a52343d33df8bf2ddaec846e711718efedbb6392f201");
    expected.put("copy from stage", "sha256:e63e8f90868f51e4275c63a7619eae5fcfd3db23079035d428d4f9cfffee2f0e");
    expected.put("inline", "sha256:c156c4f2d945f2fd615382fa536faddd5d47344a158044fa1997c674d37fce68");
    expected.put("http", "sha256:6031edcbd27ae4c809fe9b510e76f94e809168d49dcfaa02e9d5d29001d6bb16");
    expected.put("mkdir", "sha256:bad294509b92f26c9a95852613352a135bdfa1d634aecbcc93c7d5b9e661a01e");
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

  /**
   * As BuildKit's ExecOp: --add-host names, --shm-size and --ulimit are keyed (only when given,
   * so other builds keep the keys pinned above); a host's address is not, as BuildKit clears it.
   */
  @Test
  void runLimitsAreKeyedAsBuildKitKeysThem() throws Exception {
    Vertex base = image(REF);
    Op.Exec run = exec(base);
    Function<RunLimits, Op> with = l -> new Op.Exec(base, run.args(), run.env(), run.cwd(), run.user(), run.network(),
        run.platform(), run.mounts(), run.security(), l);
    assertEquals(key(run), key(with.apply(RunLimits.NONE)));
    RunLimits db = new RunLimits(List.of(new RunLimits.HostEntry("db", "10.0.0.2")), 0, List.of());
    assertChanges(run, List.of(with.apply(db), with.apply(new RunLimits(List.of(), 1 << 27, List.of())),
        with.apply(new RunLimits(List.of(), 0, List.of(new RunLimits.Rlimit("nofile", 1024, 2048))))));
    assertEquals(key(with.apply(db)),
        key(with.apply(new RunLimits(List.of(new RunLimits.HostEntry("db", "192.168.1.9")), 0, List.of()))));
    assertChanges(with.apply(db), List.of(
        with.apply(new RunLimits(List.of(new RunLimits.HostEntry("cache", "10.0.0.2")), 0, List.of())),
        with.apply(new RunLimits(db.extraHosts(), 1 << 26, List.of())),
        with.apply(new RunLimits(db.extraHosts(), 0, List.of(new RunLimits.Rlimit("nofile", 1024, 1024))))));
    assertChanges(with.apply(new RunLimits(List.of(), 0, List.of(new RunLimits.Rlimit("nofile", 1024, 2048)))),
        List.of(with.apply(new RunLimits(List.of(), 0, List.of(new RunLimits.Rlimit("nofile", 512, 2048)))),
            with.apply(new RunLimits(List.of(), 0, List.of(new RunLimits.Rlimit("nproc", 1024, 2048))))));
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
