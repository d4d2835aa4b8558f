package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The executor's mount kinds and security modes with real runc/crun over overlayfs. */
class RunMountsTest {
  private static final String SECRET = "tHe-SeCrEt-" + Long.toHexString(System.nanoTime());
  @TempDir
  static Path shared;
  static Path amd64;

  @TempDir
  Path tmp;
  final List<MountedRoot> mounted = new ArrayList<>();

  @BeforeAll
  static void baseLayer() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireProgram("runc", "runc");
    Prerequisites.requireProgram("crun", "crun");
    amd64 = Fixtures.busyboxLower(Platform.LINUX_AMD64, shared);
  }

  @AfterEach
  void unmount() throws IOException {
    for (MountedRoot m : mounted) {
      m.close();
    }
  }

  private MountedRoot root() throws IOException {
    Path d = Files.createTempDirectory(tmp, "snap");
    MountedRoot m = new OverlaySnapshotter().mount(List.of(amd64), Files.createDirectory(d.resolve("upper")),
        Files.createDirectory(d.resolve("work")), Files.createDirectory(d.resolve("rootfs")));
    mounted.add(m);
    return m;
  }

  private static Path upperOf(MountedRoot root) {
    return root.path().getParent().resolve("upper");
  }

  private static ExecSpec spec(Runs r, Path rootfs, String script, int uid, Security security, List<Mount> mounts) {
    return new ExecSpec("mounts", rootfs, List.of("/bin/sh", "-c", script), List.of(), "/", uid, uid, List.of(),
        "h", NetworkMode.HOST, security, Platform.LINUX_AMD64, mounts, r.stdout, r.stderr);
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void tmpfsIsFreshSizedAndLeavesNothingInTheLayer(String runtime) throws Exception {
    MountedRoot root = root();
    Runs r = new Runs();
    ExecResult res = OciRuntimeExecutor.detect(Optional.of(runtime)).run(spec(r, root.path(),
        "echo data > /scratch/space/x; grep ' /scratch/space ' /proc/mounts | cut -d' ' -f3;"
            + " df -k /scratch/space | tail -1 | awk '{print $2}'", 0, Security.SANDBOX,
        List.of(new Mount.Tmpfs("/scratch/space", 2 << 20))));
    assertEquals(0, res.exitCode(), r.err());
    assertEquals(List.of("tmpfs", "2048"), r.out().lines().toList(), "a 2 MiB tmpfs");
    root.close();
    List<String> entries = Fixtures.entries(Fixtures.layerOf(upperOf(root), res.createdPaths(), Optional.empty()));
    assertEquals(List.of(), entries, "the tmpfs content and its mount point stay out of the layer");
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void filesAreReadOnlyWithTheirOwnerAndModeAndNeverInTheLayer(String runtime) throws Exception {
    MountedRoot root = root();
    Runs r = new Runs();
    ExecResult res = OciRuntimeExecutor.detect(Optional.of(runtime)).run(spec(r, root.path(),
        "stat -c '%u:%g %a' /run/secrets/token; cat /run/secrets/token; echo; echo x > /run/secrets/token 2>/dev/null"
            + " || echo read-only; echo kept > /tmp/kept",
        1000, Security.SANDBOX, List.of(new Mount.File("/run/secrets/token", SECRET.getBytes(StandardCharsets.UTF_8),
            1000, 1001, 0400))));
    assertEquals(0, res.exitCode(), r.err());
    assertEquals(List.of("1000:1001 400", SECRET, "read-only"), r.out().lines().toList());
    root.close();
    byte[] layer = Fixtures.layerOf(upperOf(root), res.createdPaths(), Optional.empty());
    assertEquals(List.of("tmp", "tmp/kept"), Fixtures.entries(layer), "only what the process wrote itself");
    assertFalse(new String(layer, StandardCharsets.ISO_8859_1).contains(SECRET));
    assertFalse(containsBytes(upperOf(root), SECRET), "the secret never touched the upper dir");
  }

  @Test
  void mountToStringNeverShowsFileContent() {
    Mount.File f = new Mount.File("/run/secrets/x", SECRET.getBytes(StandardCharsets.UTF_8), 0, 0, 0400);
    assertFalse(f.toString().contains(SECRET), f.toString());
    ExecSpec spec = new ExecSpec("x", tmp, List.of("true"), List.of("TOKEN=" + SECRET), "/", 0, 0, List.of(), "h",
        NetworkMode.HOST, Security.SANDBOX, Platform.LINUX_AMD64, List.of(f), new ByteArrayOutputStream(),
        new ByteArrayOutputStream());
    assertFalse(spec.toString().contains(SECRET), spec.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void forwardedSocketHasTheRequestedOwnerAndMode(String runtime) throws Exception {
    Path agent = tmp.resolve("agent.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(agent));
      MountedRoot root = root();
      Runs r = new Runs();
      ExecResult res = OciRuntimeExecutor.detect(Optional.of(runtime)).run(spec(r, root.path(),
          "stat -c '%u:%g %a %F' /run/buildkit/ssh_agent.0", 0, Security.SANDBOX,
          List.of(new Mount.ForwardedSocket(agent, "/run/buildkit/ssh_agent.0", 1000, 1000, 0600))));
      assertEquals(0, res.exitCode(), r.err());
      assertEquals("1000:1000 600 socket\n", r.out());
      root.close();
      assertEquals(List.of(), Fixtures.entries(Fixtures.layerOf(upperOf(root), res.createdPaths(), Optional.empty())));
    }
  }

  /** busybox has no unix-socket client, so the relay itself is checked from Java. */
  @Test
  void socketForwarderRelaysBothWays() throws Exception {
    Path agent = tmp.resolve("agent.sock");
    try (ServerSocketChannel upstream = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      upstream.bind(UnixDomainSocketAddress.of(agent));
      Thread echo = new Thread(() -> {
        try (SocketChannel c = upstream.accept()) {
          ByteBuffer b = ByteBuffer.allocate(64);
          c.read(b);
          b.flip();
          c.write(ByteBuffer.wrap(("echo:" + StandardCharsets.UTF_8.decode(b)).getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
          // the test fails on the client side
        }
      });
      echo.setDaemon(true);
      echo.start();
      Path forwarded = tmp.resolve("forwarded.sock");
      try (SocketForwarder f = SocketForwarder.start(agent, forwarded, 0, 0, 0600);
           SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(forwarded))) {
        c.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
        ByteBuffer in = ByteBuffer.allocate(64);
        while (in.position() < "echo:ping".length() && c.read(in) >= 0) {
          // until the whole reply is in
        }
        in.flip();
        assertEquals("echo:ping", StandardCharsets.UTF_8.decode(in).toString());
      }
      assertFalse(Files.exists(forwarded), "the socket is removed when the run ends");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void insecureGrantsAllCapabilitiesWhileTheSandboxDoesNot(String runtime) throws Exception {
    String probe = "grep CapEff /proc/self/status | cut -f2; mkdir -p /mnt/t; mount -t tmpfs none /mnt/t 2>/dev/null"
        + " && echo mounted || echo no-mount; touch /sys/kernel/probe 2>&1 | grep -q Read-only && echo sys-ro || echo sys-rw;"
        + " grep -q /proc/timer_list /proc/mounts && echo masked || echo unmasked";
    Runs sandbox = new Runs();
    ExecResult rs = OciRuntimeExecutor.detect(Optional.of(runtime)).run(spec(sandbox, root().path(), probe, 0,
        Security.SANDBOX, List.of()));
    assertEquals(0, rs.exitCode(), sandbox.err());
    assertEquals(List.of("00000000a80425fb", "no-mount", "sys-ro", "masked"), sandbox.out().lines().toList(),
        "Docker's default capabilities, read-only /sys, masked /proc paths");

    Runs insecure = new Runs();
    ExecResult ri = OciRuntimeExecutor.detect(Optional.of(runtime)).run(spec(insecure, root().path(), probe, 0,
        Security.INSECURE, List.of()));
    assertEquals(0, ri.exitCode(), insecure.err());
    List<String> lines = insecure.out().lines().toList();
    long bounding = hostBoundingSet();
    assertEquals(String.format("%016x", bounding), lines.get(0), "every capability this process may pass on");
    assertEquals(List.of("mounted", "sys-rw", "unmasked"), lines.subList(1, 4), insecure.out() + insecure.err());
  }

  private static long hostBoundingSet() throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("CapBnd:")) {
        return Long.parseLong(l.substring(7).strip(), 16);
      }
    }
    throw new AssertionError("no CapBnd in /proc/self/status");
  }

  private static boolean containsBytes(Path dir, String needle) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(needle)) {
          return true;
        }
      }
    }
    return false;
  }
}
