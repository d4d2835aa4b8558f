package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Prerequisites;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real runs with runc and crun over overlayfs roots of the busybox image. */
class OciRuntimeExecutorTest {
  @TempDir
  static Path shared;
  static Path amd64;
  static Path arm64;

  @TempDir
  Path tmp;
  final List<MountedRoot> mounted = new ArrayList<>();

  @BeforeAll
  static void baseLayers() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireProgram("runc", "runc");
    Prerequisites.requireProgram("crun", "crun");
    amd64 = Fixtures.busyboxLower(Platform.LINUX_AMD64, shared);
    arm64 = Fixtures.busyboxLower(Platform.LINUX_ARM64, shared);
  }

  @AfterEach
  void unmount() throws IOException {
    for (MountedRoot m : mounted) {
      m.close();
    }
  }

  /** A fresh overlay root over the given lowers; its upper dir is root.getParent()/upper. */
  MountedRoot root(Path... lowers) throws IOException {
    Path d = Files.createTempDirectory(tmp, "snap");
    MountedRoot m = new OverlaySnapshotter().mount(List.of(lowers), Files.createDirectory(d.resolve("upper")),
        Files.createDirectory(d.resolve("work")), Files.createDirectory(d.resolve("rootfs")));
    mounted.add(m);
    return m;
  }

  static OciRuntimeExecutor runtime(String name) throws MissingPrerequisiteException {
    return OciRuntimeExecutor.detect(Optional.of(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void runsNativeAndEmulatedArchitectures(String runtime) throws Exception {
    Prerequisites.requireEmulation(Platform.LINUX_ARM64);
    Runs a = new Runs();
    ExecResult ra = runtime(runtime).run(a.spec(root(amd64).path(), List.of("uname", "-m"), NetworkMode.HOST, List.of()));
    assertEquals(0, ra.exitCode(), a.err());
    assertEquals("x86_64\n", a.out());
    Runs b = new Runs();
    ExecResult rb = runtime(runtime).run(b.spec(root(arm64).path(), List.of("uname", "-m"), NetworkMode.HOST, List.of()));
    assertEquals(0, rb.exitCode(), b.err());
    assertEquals("aarch64\n", b.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void exitCodesAndSignalsPropagate(String runtime) throws Exception {
    Runs r = new Runs();
    ExecResult three = runtime(runtime).run(r.shell(root(amd64).path(), "echo out; echo err >&2; exit 3"));
    assertEquals(3, three.exitCode());
    assertEquals(Optional.empty(), three.signal());
    assertEquals("out\n", r.out());
    assertEquals("err\n", r.err());
    // the container's init ignores signals sent from inside its pid namespace, so a child dies instead
    ExecResult killed = runtime(runtime).run(new Runs().shell(root(amd64).path(), "sh -c 'kill -KILL $$'; exit $?"));
    assertEquals(137, killed.exitCode());
    assertEquals(Optional.of("SIGKILL"), killed.signal());
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void seesUserCwdEnvHostnameAndDockerishMounts(String runtime) throws Exception {
    Runs r = new Runs();
    ExecSpec spec = new ExecSpec("ids", root(amd64).path(),
        List.of("/bin/sh", "-c", "id -u; id -g; id -G; pwd; echo $GREETING; hostname; cat /etc/hosts;"
            + " test -r /etc/resolv.conf && echo resolv; grep -c . /proc/self/status >/dev/null && echo proc;"
            + " ls -d /dev/pts /dev/shm /dev/mqueue; touch /sys/x 2>/dev/null || echo sys-ro; ulimit -n"),
        List.of("GREETING=hello"), "/work/dir", 1000, 1000, List.of(10, 20), "myhost", NetworkMode.HOST, Security.SANDBOX,
        Platform.LINUX_AMD64, List.of(), r.stdout, r.stderr);
    ExecResult res = runtime(runtime).run(spec);
    assertEquals(0, res.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(List.of("1000", "1000", "1000 10 20", "/work/dir", "hello", "myhost"), lines.subList(0, 6), r.out());
    assertTrue(r.out().contains("127.0.0.1\tlocalhost myhost"), r.out());
    assertTrue(lines.containsAll(List.of("resolv", "proc", "/dev/mqueue", "/dev/pts", "/dev/shm", "sys-ro", "1024")),
        r.out());
  }

  @Test
  void reportsMountPointsItCreatedAndKeepsTheWorkdir() throws Exception {
    // a root without proc, sys, dev or etc: all must be created and reported
    Path lower = Fixtures.lowerFrom(new TarBuilder().dir("bin", 0755).build(), tmp.resolve("tiny"));
    Files.copy(amd64.resolve("bin/busybox"), lower.resolve("bin/busybox"));
    Files.createSymbolicLink(lower.resolve("bin/sh"), Path.of("busybox"));
    MountedRoot root = root(lower);
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Runs r = new Runs();
    ExecResult res = runtime("runc").run(r.spec(root.path(), List.of("/bin/sh", "-c", "echo hi > /var/cache/app/x"),
        NetworkMode.HOST, List.of(new Mount.Bind(cache, "/var/cache/app", false))));
    assertEquals(0, res.exitCode(), r.err());
    assertEquals(Set.of("proc", "dev", "sys", "etc", "etc/resolv.conf", "etc/hosts", "var", "var/cache",
        "var/cache/app"), res.createdPaths());
    assertEquals("hi\n", Files.readString(cache.resolve("x")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void bindMountsAreWritableOrReadOnly(String runtime) throws Exception {
    Path rw = Files.createDirectories(tmp.resolve("rw"));
    Path ro = Files.createDirectories(tmp.resolve("ro"));
    Files.writeString(ro.resolve("input"), "from host");
    Runs r = new Runs();
    ExecResult res = runtime(runtime).run(r.spec(root(amd64).path(),
        List.of("/bin/sh", "-c", "cat /in/input; echo written > /out/result; touch /in/nope 2>/dev/null || echo ro"),
        NetworkMode.HOST, List.of(new Mount.Bind(rw, "/out", false), new Mount.Bind(ro, "/in", true))));
    assertEquals(0, res.exitCode(), r.err());
    assertEquals("from hostro\n", r.out());
    assertEquals("written\n", Files.readString(rw.resolve("result")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void networkNoneHasOnlyLoopbackWhileHostSharesTheHostNetwork(String runtime) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicInteger accepted = new AtomicInteger();
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket s = server.accept()) {
            accepted.incrementAndGet();
            s.getOutputStream().write("pong\n".getBytes());
          } catch (IOException e) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      String probe = "nc -w 2 127.0.0.1 " + server.getLocalPort() + " </dev/null && echo reached || echo unreachable;"
          + " ip link 2>/dev/null | grep -c '^[0-9]'";
      Runs none = new Runs();
      ExecResult rn = runtime(runtime).run(none.spec(root(amd64).path(), List.of("/bin/sh", "-c", probe),
          NetworkMode.NONE, List.of()));
      assertEquals(0, rn.exitCode(), none.err());
      assertTrue(none.out().startsWith("unreachable"), none.out());
      assertEquals("1", none.out().lines().toList().get(1), "only lo in a new network namespace: " + none.out());
      assertEquals(0, accepted.get());

      Runs host = new Runs();
      ExecResult rh = runtime(runtime).run(host.spec(root(amd64).path(), List.of("/bin/sh", "-c", probe),
          NetworkMode.HOST, List.of()));
      assertEquals(0, rh.exitCode(), host.err());
      assertTrue(host.out().startsWith("pong\nreached"), host.out());
      assertEquals(1, accepted.get());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void streamsOutputWhileTheProcessRuns(String runtime) throws Exception {
    List<Long> arrivals = new ArrayList<>();
    OutputStream timed = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public synchronized void write(byte[] b, int off, int len) {
        arrivals.add(System.nanoTime());
      }
    };
    ExecSpec spec = new ExecSpec("stream", root(amd64).path(), List.of("/bin/sh", "-c", "echo first; sleep 1; echo second"),
        List.of(), "/", 0, 0, List.of(), "h", NetworkMode.HOST, Security.SANDBOX, Platform.LINUX_AMD64, List.of(), timed, OutputStream.nullOutputStream());
    long start = System.nanoTime();
    assertEquals(0, runtime(runtime).run(spec).exitCode());
    long end = System.nanoTime();
    assertFalse(arrivals.isEmpty());
    assertTrue(end - arrivals.get(0) > 700_000_000L, "first line arrived only at the end");
    assertTrue(arrivals.get(0) - start < end - start);
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void aMissingExecutableIsAnErrorNamingIt(String runtime) throws Exception {
    Runs r = new Runs();
    IOException e = assertThrows(IOException.class, () -> runtime(runtime).run(
        r.spec(root(amd64).path(), List.of("no-such-program"), NetworkMode.HOST, List.of())));
    assertTrue(e.getMessage().contains("no-such-program"), e.getMessage());
    assertTrue(e.getMessage().startsWith(runtime + " could not run"), e.getMessage());
  }

  @Test
  void interruptKillsTheContainerAndCleansUp() throws Exception {
    OciRuntimeExecutor runc = runtime("runc");
    Path rootfs = root(amd64).path();
    Thread caller = Thread.currentThread();
    Thread interrupter = new Thread(() -> {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
      caller.interrupt();
    });
    interrupter.start();
    long start = System.nanoTime();
    assertThrows(InterruptedException.class, () -> runc.run(new Runs().shell(rootfs, "sleep 60")));
    assertTrue(System.nanoTime() - start < 15_000_000_000L);
    try (var s = Files.list(Path.of("/run/runc"))) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("jbuild-test-")), "container state left");
    }
  }

  @Test
  void detectNamesWhatToInstall() {
    MissingPrerequisiteException e = assertThrows(MissingPrerequisiteException.class,
        () -> OciRuntimeExecutor.detect(Optional.of("youki-not-here")));
    assertTrue(e.getMessage().contains("youki-not-here"), e.getMessage());
    MissingPrerequisiteException crun = assertThrows(MissingPrerequisiteException.class,
        () -> OciRuntimeExecutor.detect(Optional.of("/nonexistent/crun")));
    assertTrue(crun.getMessage().contains("apt-get install -y crun"), crun.getMessage());
  }
}
