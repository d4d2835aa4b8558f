package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --network (build and step), --allow and RUN --security through the CLI, against a server on the
 * host's loopback: "none" must not reach it, "default" and "host" must.
 */
class RunNetworkAndSecurityBuildTest {
  @TempDir static Path work;
  static Path context;
  static ServerSocket server;

  @BeforeAll
  static void environment() throws Exception {
    RootlessUser.requireRootOrRootless(); // RootlessBuildTest runs this class rootless too
    Prerequisites.requireOneOf("runc", "runc", "crun");
    context = BusyboxContexts.withRootfs(work.resolve("ctx"), Platform.LINUX_AMD64, "rootfs");
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          s.getOutputStream().write("pong\n".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
  }

  private static String probe(String flags, String file) {
    return "RUN " + flags + " sh -c 'nc -w 2 127.0.0.1 " + server.getLocalPort()
        + " </dev/null | grep -q pong && echo reached > /" + file + " || echo unreachable > /" + file + "'\n";
  }

  private static Processes.Result build(String dockerfile, String name, String... extra) throws IOException {
    Path df = work.resolve("Dockerfile." + name);
    Files.writeString(df, "FROM scratch\nCOPY rootfs/ /\n" + dockerfile);
    List<String> args = new ArrayList<>(List.of("build", "--progress=plain", "-f", df.toString(),
        "-o", "type=oci,dest=" + work.resolve(name + ".tar")));
    args.addAll(List.of(extra));
    args.add(context.toString());
    return Cli.jbuild(work.resolve("store"), args.toArray(String[]::new));
  }

  private static String read(String name, String file) throws Exception {
    return Files.readString(OciImages.open(work.resolve(name + ".tar"), work).rootfs().resolve(file)).strip();
  }

  @Test
  void eachStepGetsItsNetwork() throws Exception {
    Processes.Result r = build(probe("--network=none", "none") + probe("", "default") + probe("--network=host", "host"),
        "modes", "--allow", "network.host");
    r.assertSuccess();
    assertEquals("unreachable", read("modes", "none"), "none: a namespace with loopback only");
    assertEquals("reached", read("modes", "default"), "default: outbound access (the host's network)");
    assertEquals("reached", read("modes", "host"));
  }

  @Test
  void theBuildsNetworkIsEveryStepsDefault() throws Exception {
    Processes.Result r = build(probe("", "default") + probe("--network=default", "explicit"), "build-none",
        "--network=none");
    r.assertSuccess();
    assertEquals("unreachable", read("build-none", "default"));
    assertEquals("unreachable", read("build-none", "explicit"));
  }

  @Test
  void hostNetworkAndInsecureStepsNeedTheirEntitlements() throws Exception {
    Processes.Result host = build(probe("--network=host", "host"), "no-allow-host");
    assertEquals(1, host.exitCode());
    Cli.assertNoStackTrace(host);
    assertTrue(host.stderr().contains("RUN --network=host needs the network.host entitlement:"
        + " add --allow network.host to the build command"), host.stderr());

    String insecureStep = "RUN --security=insecure sh -c 'mkdir -p /m && mount -t tmpfs none /m && echo mounted > /insecure'\n";
    Processes.Result insecure = build(insecureStep, "no-allow-insecure");
    assertEquals(1, insecure.exitCode());
    assertTrue(insecure.stderr().contains("add --allow security.insecure"), insecure.stderr());

    Processes.Result allowed = build(insecureStep
        + "RUN sh -c 'mkdir -p /m && mount -t tmpfs none /m 2>/dev/null && echo mounted > /sandbox || echo denied > /sandbox'\n",
        "allowed", "--allow", "security.insecure");
    allowed.assertSuccess();
    assertEquals("mounted", read("allowed", "insecure"));
    assertEquals("denied", read("allowed", "sandbox"), "without --security=insecure a step cannot mount");

    Processes.Result unknown = build("RUN true\n", "unknown-allow", "--allow", "network.everything");
    assertEquals(1, unknown.exitCode());
    assertTrue(unknown.stderr().contains("--allow network.everything: unknown entitlement"), unknown.stderr());
  }
}
