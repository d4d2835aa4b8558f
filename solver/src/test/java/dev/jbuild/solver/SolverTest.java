package dev.jbuild.solver;

import dev.jbuild.cache.CacheRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.nativeexec.NetworkMode;
import dev.jbuild.nativeexec.OciRuntimeExecutor;
import dev.jbuild.nativeexec.Security;
import dev.jbuild.nativeexec.Snapshotter;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Layer;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.platform.Platform;
import dev.jbuild.progress.Progress;
import dev.jbuild.progress.ProgressEvent;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.registry.RegistryConfig;
import dev.jbuild.testkit.BaseImages;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler on real runc and overlayfs: concurrency is shown by the steps themselves (each
 * waits for the other to have started) and by overlapping progress events, never by wall time.
 */
class SolverTest {
  private static final List<String> ENV = List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin");

  @TempDir Path store;

  private final List<ProgressEvent> events = new ArrayList<>();

  @BeforeAll
  static void prerequisites() {
    Prerequisites.requireRoot();
    Prerequisites.requireOneOf("runc", "runc", "crun");
  }

  private Worker worker() throws IOException {
    ContentStore content = new ContentStore(store);
    return new Worker(store, content, new CacheRecords(store, content), Snapshotter.detect(store),
        () -> OciRuntimeExecutor.detect(Optional.empty()), RegistryClient.create(RegistryConfig.defaults()),
        Optional.empty());
  }

  private Solver solver(Worker worker, int maxProcesses) {
    Progress progress = new Progress(e -> {
      synchronized (events) {
        events.add(e);
      }
    });
    return new Solver(worker, progress, new SolveOptions(false, maxProcesses));
  }

  /** The busybox base image for {@code platform}, its blob put into the worker's store as a pull would. */
  private static Vertex busybox(Worker worker, Platform platform) throws IOException {
    Path blob = BaseImages.layer(platform);
    Digest digest;
    try (InputStream in = Files.newInputStream(blob)) {
      digest = Digest.sha256(in);
    }
    try (InputStream in = Files.newInputStream(blob)) {
      worker.content().put(in, digest);
    }
    Digest diffId;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(blob))) {
      diffId = Digest.sha256(in);
    }
    Layer layer = new Layer(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, digest, Files.size(blob)), diffId);
    return new Vertex(new Op.Image("127.0.0.1:1/busybox@" + digest, "127.0.0.1:1/busybox", platform,
        List.of(layer)), "FROM busybox (" + platform + ")");
  }

  private static Vertex run(Vertex root, String name, String script, RunMount... mounts) {
    return new Vertex(new Op.Exec(root, List.of("/bin/sh", "-c", script), ENV, "/", "", NetworkMode.NONE,
        Platform.LINUX_AMD64, List.of(mounts), Security.SANDBOX), name);
  }

  /** A cache directory every step that mounts it sees at once: where concurrent steps meet. */
  private static RunMount.Cache rendezvous() {
    return new RunMount.Cache("/rendezvous", "rendezvous", RunMount.Sharing.SHARED, Optional.empty(), "", 0755, 0, 0,
        false);
  }

  private static Vertex copyFrom(Vertex dest, Vertex from, String path) {
    return new Vertex(new Op.Copy(dest, new Op.CopySource.State(from), List.of(path), path, Optional.empty(),
        Optional.empty(), false), "COPY " + path);
  }

  /** Each step announces itself, then waits for the other: run one after the other, the first would fail. */
  private static String meet(String me, String other) {
    return "touch /rendezvous/" + me + "; i=0; while [ ! -e /rendezvous/" + other + " ]; do sleep 0.05;"
        + " i=$((i+1)); [ $i -lt 1200 ] || exit 9; done; echo " + me + " > /" + me;
  }

  @Test
  void independentBranchesRunConcurrently() throws Exception {
    try (Worker worker = worker(); Solver solver = solver(worker, 4)) {
      Vertex base = busybox(worker, Platform.LINUX_AMD64);
      Vertex a = run(base, "RUN a", meet("a", "b"), rendezvous());
      Vertex b = run(base, "RUN b", meet("b", "a"), rendezvous());
      Vertex merged = copyFrom(copyFrom(base, a, "/a"), b, "/b");

      solver.solve(merged);

      List<ProgressEvent> log = snapshot();
      int startA = indexOf(log, started("RUN a"));
      int startB = indexOf(log, started("RUN b"));
      int endA = indexOf(log, completed(log, "RUN a"));
      int endB = indexOf(log, completed(log, "RUN b"));
      assertTrue(startA < endB && startB < endA, "both RUN steps were running at once: " + log);
    }
  }

  @Test
  void maxParallelismBoundsConcurrentProcesses() throws Exception {
    try (Worker worker = worker(); Solver solver = solver(worker, 1)) {
      Vertex base = busybox(worker, Platform.LINUX_AMD64);
      Vertex a = run(base, "RUN a", "sleep 0.3; echo a > /a");
      Vertex b = run(base, "RUN b", "sleep 0.3; echo b > /b");

      solver.solve(copyFrom(copyFrom(base, a, "/a"), b, "/b"));

      List<ProgressEvent> log = snapshot();
      int startA = indexOf(log, started("RUN a"));
      int startB = indexOf(log, started("RUN b"));
      int endA = indexOf(log, completed(log, "RUN a"));
      int endB = indexOf(log, completed(log, "RUN b"));
      assertTrue(endA < startB || endB < startA, "one process at a time: " + log);
    }
  }

  @Test
  void aBuildPlatformStageRunsOnceForTwoTargetPlatforms() throws Exception {
    try (Worker worker = worker(); Solver solver = solver(worker, 4)) {
      List<Vertex> finals = new ArrayList<>();
      List<Vertex> builders = new ArrayList<>();
      for (Platform target : List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64)) {
        // as the frontend plans FROM --platform=$BUILDPLATFORM: a graph per target, the builder on the build platform
        Vertex builder = run(busybox(worker, Platform.LINUX_AMD64), "[builder 2/2] RUN make",
            "cat /proc/sys/kernel/random/uuid > /out");
        builders.add(builder);
        finals.add(copyFrom(busybox(worker, target), builder, "/out"));
      }
      assertFalse(builders.get(0) == builders.get(1), "two separate vertices");

      List<FsState> results = solver.solveAll(finals);

      List<ProgressEvent> log = snapshot();
      assertEquals(1, log.stream().filter(e -> e instanceof ProgressEvent.Started s
          && s.name().equals("[builder 2/2] RUN make")).count(),
          "the builder ran once: " + log);
      assertEquals(2, log.stream().filter(e -> e instanceof ProgressEvent.Started s && s.name().equals("COPY /out"))
          .count(), "each target copied its output: " + log);
      assertEquals(2, results.get(0).layers().size());
      assertEquals(2, results.get(1).layers().size());
      assertFalse(results.get(0).layers().get(0).equals(results.get(1).layers().get(0)),
          "each target has its own base");
      assertEquals(results.get(0).layers().get(1).diffId(), results.get(1).layers().get(1).diffId(),
          "both targets copied the same (random) output: one run, not two");
    }
  }

  @Test
  void theFirstFailureCancelsTheRestPromptlyAndIsTheOneReported() throws Exception {
    SolveException failure;
    try (Worker worker = worker(); Solver solver = solver(worker, 4)) {
      Vertex base = busybox(worker, Platform.LINUX_AMD64);
      Vertex slow = run(base, "RUN slow", "touch /rendezvous/slow; exec sleep 4321", rendezvous());
      Vertex failing = run(base, "RUN failing",
          "while [ ! -e /rendezvous/slow ]; do sleep 0.05; done; echo boom; exit 3", rendezvous());
      Vertex afterSlow = run(slow, "RUN after slow", "true");
      Vertex merged = copyFrom(copyFrom(base, afterSlow, "/a"), failing, "/b");

      failure = assertThrows(SolveException.class, () -> solver.solve(merged));

      // when the error is reported, the canceled step's process is gone and nothing is mounted
      assertEquals(List.of(), Processes.runningWithArgs("sleep", "4321"));
      assertEquals(List.of(), mountsUnder(store));
      assertEquals(failing, failure.vertex());
      ExecFailedException cause = assertInstanceOf(ExecFailedException.class, failure.getCause());
      assertEquals(3, cause.exitCode());
      assertEquals(List.of("boom"), cause.lastLines());

      List<ProgressEvent> log = snapshot();
      int slowN = ((ProgressEvent.Started) log.get(indexOf(log, started("RUN slow")))).vertex();
      int failingN = ((ProgressEvent.Started) log.get(indexOf(log, started("RUN failing")))).vertex();
      assertEquals(1, log.stream().filter(e -> e instanceof ProgressEvent.Failed).count(), "one error: " + log);
      assertTrue(log.stream().anyMatch(e -> e instanceof ProgressEvent.Failed f && f.vertex() == failingN));
      assertTrue(log.stream().anyMatch(e -> e instanceof ProgressEvent.Canceled c && c.vertex() == slowN),
          "the slow step was canceled: " + log);
      assertTrue(log.stream().noneMatch(e -> e instanceof ProgressEvent.Started s && s.name().equals("RUN after slow")),
          "what depends on it never starts: " + log);
    }
    assertEquals(List.of(), mountsUnder(store));
    try (Stream<Path> left = Files.list(store.resolve("tmp"))) {
      assertEquals(List.of(), left.toList(), "scratch space released");
    }
  }

  private List<ProgressEvent> snapshot() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  private static ProgressEvent started(String name) {
    return new ProgressEvent.Started(0, name);
  }

  /** Index of the Started event with {@code probe}'s name (vertex numbers are not known in advance). */
  private static int indexOf(List<ProgressEvent> log, ProgressEvent probe) {
    for (int i = 0; i < log.size(); i++) {
      ProgressEvent e = log.get(i);
      if (probe instanceof ProgressEvent.Started p && e instanceof ProgressEvent.Started s && s.name().equals(p.name())) {
        return i;
      }
      if (probe instanceof ProgressEvent.Completed p && e instanceof ProgressEvent.Completed c
          && c.vertex() == p.vertex()) {
        return i;
      }
    }
    throw new AssertionError("no " + probe + " in " + log);
  }

  private static ProgressEvent completed(List<ProgressEvent> log, String name) {
    int n = ((ProgressEvent.Started) log.get(indexOf(log, started(name)))).vertex();
    return new ProgressEvent.Completed(n, java.time.Duration.ZERO);
  }

  private static List<String> mountsUnder(Path dir) throws IOException {
    String prefix = dir.toRealPath().toString();
    return Files.readAllLines(Path.of("/proc/mounts")).stream().filter(l -> l.contains(prefix)).toList();
  }
}
