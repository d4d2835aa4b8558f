package dev.jbuild.bench.nativeexec;

import dev.jbuild.bench.CountingSink;
import dev.jbuild.nativeexec.ExecResult;
import dev.jbuild.nativeexec.ExecSpec;
import dev.jbuild.nativeexec.LayerWriter;
import dev.jbuild.nativeexec.MountedRoot;
import dev.jbuild.nativeexec.NetworkMode;
import dev.jbuild.nativeexec.OciRuntimeExecutor;
import dev.jbuild.nativeexec.Security;
import dev.jbuild.nativeexec.Snapshotter;
import dev.jbuild.platform.Platform;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one {@code RUN true} costs beyond {@code true} itself (about a millisecond), natively, as
 * root: {@code run} is the OCI runtime alone over a mounted overlay root; {@code step} is a whole
 * step as the solver does it: mount the snapshot, run, unmount, turn the upper dir into a layer.
 * Sample mode, so JMH reports the median (p0.50). Target: under 60 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class RunOverheadBenchmark {
  @Param({"runc", "crun"})
  public String runtime;

  private Path lower;
  private Path work;
  private OciRuntimeExecutor executor;
  private Snapshotter snapshotter;
  private MountedRoot prepared;
  private int n;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    lower = BusyboxRoot.amd64();
    work = Files.createTempDirectory("jbuild-bench-run");
    executor = OciRuntimeExecutor.detect(Optional.of(runtime));
    snapshotter = Snapshotter.detect(work);
    prepared = mount();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    prepared.close();
    try (Stream<Path> s = Files.walk(work)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  private MountedRoot mount() throws IOException {
    Path d = Files.createDirectory(work.resolve(Integer.toString(n++)));
    return snapshotter.mount(List.of(lower), Files.createDirectory(d.resolve("upper")),
        Files.createDirectory(d.resolve("work")), Files.createDirectory(d.resolve("rootfs")));
  }

  private ExecResult runTrue(Path rootfs) throws Exception {
    ExecResult r = executor.run(new ExecSpec("bench", rootfs, List.of("true"), List.of(), "/", 0, 0, List.of(), "bench",
        NetworkMode.HOST, Security.SANDBOX, Platform.LINUX_AMD64, List.of(), OutputStream.nullOutputStream(),
        OutputStream.nullOutputStream()));
    if (r.exitCode() != 0) {
      throw new IllegalStateException("true failed with " + r.exitCode());
    }
    return r;
  }

  @Benchmark
  public ExecResult run() throws Exception {
    return runTrue(prepared.path());
  }

  @Benchmark
  public long step() throws Exception {
    MountedRoot root = mount();
    ExecResult r;
    try {
      r = runTrue(root.path());
    } finally {
      root.close();
    }
    CountingSink out = new CountingSink();
    new LayerWriter(Optional.empty()).write(root.path().getParent().resolve("upper"), r.createdPaths(), out);
    return out.count();
  }

}
