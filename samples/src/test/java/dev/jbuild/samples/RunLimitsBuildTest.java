package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --add-host, --shm-size and --ulimit through the CLI with runc: every RUN step sees them, and
 * none of them is in the image (its own /etc/hosts comes out as it went in, layer by layer).
 */
class RunLimitsBuildTest {
  private static final String IMAGE_HOSTS = "127.0.0.1\tlocalhost\n192.0.2.7\timage-host\n";
  private static final String DOCKERFILE = """
      FROM scratch
      COPY rootfs/ /
      COPY hosts /etc/hosts
      RUN cat /etc/hosts > /hosts.seen
      RUN grep ' /dev/shm ' /proc/mounts > /shm-mount.seen && df -k /dev/shm | tail -n 1 > /shm-df.seen
      RUN ulimit -n > /nofile.seen && ulimit -Hn >> /nofile.seen && cat /proc/self/limits > /limits.seen
      """;

  @TempDir static Path work;
  static Path context;

  @BeforeAll
  static void environment() throws Exception {
    Prerequisites.requireOneOf("runc", "runc", "crun");
    context = BusyboxContexts.withRootfs(work.resolve("ctx"), Platform.LINUX_AMD64, "rootfs");
    Files.writeString(context.resolve("hosts"), IMAGE_HOSTS);
    Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
  }

  private static Processes.Result build(String name, String... flags) {
    List<String> args = new ArrayList<>(List.of("build", "--progress=plain",
        "-o", "type=local,dest=" + work.resolve(name), "-o", "type=oci,dest=" + work.resolve(name + ".tar")));
    args.addAll(Arrays.asList(flags));
    args.add(context.toString());
    return Cli.jbuild(work.resolve("store"), args.toArray(String[]::new));
  }

  private static String seen(String name, String file) throws Exception {
    return Files.readString(work.resolve(name).resolve(file));
  }

  private static String limitsRow(String limits, String title) {
    return limits.lines().filter(l -> l.startsWith(title)).findFirst().orElseThrow().substring(title.length())
        .trim().replaceAll("\\s+", " ");
  }

  @Test
  void everyRunStepSeesTheLimitsAndTheImageKeepsNone() throws Exception {
    build("limits", "--add-host", "db.internal:10.1.2.3", "--add-host", "gw=host-gateway", "--add-host", "v6:[fd00::5]",
        "--shm-size", "128m", "--ulimit", "nofile=1234:5678", "--ulimit", "core=1000:2000").assertSuccess();

    assertEquals("127.0.0.1\tlocalhost jbuild\n::1\tlocalhost ip6-localhost ip6-loopback\n"
        + "10.1.2.3\tdb.internal\n127.0.0.1\tgw\nfd00::5\tv6\n", seen("limits", "hosts.seen"));
    String[] shm = seen("limits", "shm-mount.seen").strip().split(" ");
    assertEquals("/dev/shm tmpfs", shm[1] + " " + shm[2]);
    assertTrue(Arrays.asList(shm[3].split(",")).contains("size=131072k"), shm[3]);
    assertEquals("131072", seen("limits", "shm-df.seen").strip().split("\\s+")[1], "1K-blocks of /dev/shm");
    assertEquals("1234\n5678\n", seen("limits", "nofile.seen"));
    String limits = seen("limits", "limits.seen");
    assertEquals("1234 5678 files", limitsRow(limits, "Max open files"));
    assertEquals("1000 2000 bytes", limitsRow(limits, "Max core file size"));

    // the image: its own /etc/hosts, from the COPY layer only; no RUN layer holds /etc/hosts or /dev
    assertEquals(IMAGE_HOSTS, seen("limits", "etc/hosts"));
    OciImages.Image image = OciImages.open(work.resolve("limits.tar"), work);
    assertEquals(IMAGE_HOSTS, Files.readString(image.rootfs().resolve("etc/hosts")));
    List<String> layers = OciImages.layerListings(work.resolve("limits.tar"), work);
    assertEquals(5, layers.size());
    assertEquals(List.of("etc/", "etc/hosts"), layers.get(1).lines().toList());
    assertEquals(List.of("hosts.seen"), layers.get(2).lines().toList());
    assertEquals(List.of("shm-df.seen", "shm-mount.seen"), layers.get(3).lines().toList());
    assertEquals(List.of("limits.seen", "nofile.seen"), layers.get(4).lines().toList());
  }

  @Test
  void withoutTheFlagsStepsGetTheDefaults() throws Exception {
    build("defaults").assertSuccess();
    assertEquals("127.0.0.1\tlocalhost jbuild\n::1\tlocalhost ip6-localhost ip6-loopback\n",
        seen("defaults", "hosts.seen"));
    assertEquals("65536", seen("defaults", "shm-df.seen").strip().split("\\s+")[1], "Docker's 64m /dev/shm");
    assertEquals("1024", seen("defaults", "nofile.seen").lines().findFirst().orElseThrow());
    assertEquals(IMAGE_HOSTS, seen("defaults", "etc/hosts"));
  }

  @Test
  void aHardLimitAboveTheHostsIsRefusedBeforeTheBuild() throws Exception {
    Processes.Result r = build("too-many", "--ulimit", "nofile=1024:2147483647");
    assertEquals(1, r.exitCode());
    Cli.assertNoStackTrace(r);
    long hostHard = Long.parseLong(Files.readAllLines(Path.of("/proc/self/limits")).stream()
        .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow().split("\\s+")[4]);
    assertTrue(r.stderr().contains("--ulimit nofile=1024:2147483647: the hard limit 2147483647 for nofile exceeds"
        + " this host's hard limit " + hostHard + " (a build cannot raise it; ask for at most " + hostHard + ")"),
        r.stderr());
    assertTrue(!Files.exists(work.resolve("too-many")) && !Files.exists(work.resolve("too-many.tar")),
        "no output is written");
  }
}
