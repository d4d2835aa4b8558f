package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.platform.Platform;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** config.json as generated for the build's --add-host, --shm-size and --ulimit. */
class RuntimeSpecTest {
  private static final HostLimits HOST = new HostLimits(Map.of("nofile", 20000L, "nproc", 96363L,
      "core", Long.MAX_VALUE));

  private static ExecSpec spec(RunLimits limits) {
    return new ExecSpec("t", Path.of("/r/rootfs"), List.of("true"), List.of(), "/", 0, 0, List.of(), "jbuild",
        NetworkMode.HOST, Security.SANDBOX, Platform.LINUX_AMD64, List.of(), OutputStream.nullOutputStream(),
        OutputStream.nullOutputStream(), limits);
  }

  private static JsonNode json(RunLimits limits) throws Exception {
    return new ObjectMapper().readTree(RuntimeSpec.json(spec(limits), Path.of("/etc/resolv.conf"),
        Path.of("/b/hosts"), HOST, List.of()));
  }

  private static List<String> rlimits(JsonNode config) {
    List<String> out = new ArrayList<>();
    config.get("process").get("rlimits").forEach(r -> out.add(r.get("type").asText() + " soft=" + r.get("soft").asLong()
        + " hard=" + r.get("hard").asLong()));
    return out;
  }

  private static JsonNode mount(JsonNode config, String destination) {
    for (JsonNode m : config.get("mounts")) {
      if (m.get("destination").asText().equals(destination)) {
        return m;
      }
    }
    throw new AssertionError("no mount at " + destination);
  }

  private static List<String> options(JsonNode mount) {
    List<String> out = new ArrayList<>();
    mount.get("options").forEach(o -> out.add(o.asText()));
    return out;
  }

  @Test
  void withoutLimitsTheSpecIsDockersDefault() throws Exception {
    JsonNode config = json(RunLimits.NONE);
    assertEquals(List.of("RLIMIT_NOFILE soft=1024 hard=20000"), rlimits(config));
    assertEquals(List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"), options(mount(config, "/dev/shm")));
    assertEquals("127.0.0.1\tlocalhost jbuild\n::1\tlocalhost ip6-localhost ip6-loopback\n",
        RuntimeSpec.hostsFile(spec(RunLimits.NONE)));
  }

  @Test
  void ulimitsBecomeTheProcessRlimitsAndNofileReplacesTheDefault() throws Exception {
    JsonNode config = json(new RunLimits(List.of(), 0, List.of(new RunLimits.Rlimit("nproc", 512, 1024),
        new RunLimits.Rlimit("nofile", 2048, 4096), new RunLimits.Rlimit("core", 0, 0))));
    assertEquals(List.of("RLIMIT_NPROC soft=512 hard=1024", "RLIMIT_NOFILE soft=2048 hard=4096",
        "RLIMIT_CORE soft=0 hard=0"), rlimits(config));

    JsonNode other = json(new RunLimits(List.of(), 0, List.of(new RunLimits.Rlimit("stack", 8388608, 8388608))));
    assertEquals(List.of("RLIMIT_NOFILE soft=1024 hard=20000", "RLIMIT_STACK soft=8388608 hard=8388608"),
        rlimits(other));
  }

  @Test
  void shmSizeIsTheDevShmTmpfsSize() throws Exception {
    JsonNode shm = mount(json(new RunLimits(List.of(), 128L * 1024 * 1024, List.of())), "/dev/shm");
    assertEquals("tmpfs", shm.get("type").asText());
    assertEquals("shm", shm.get("source").asText());
    assertEquals(List.of("nosuid", "noexec", "nodev", "mode=1777", "size=134217728"), options(shm));
  }

  @Test
  void extraHostsAreInTheRunsHostsFileMountedReadOnlyOverEtcHosts() throws Exception {
    RunLimits limits = new RunLimits(List.of(new RunLimits.HostEntry("db", "10.0.0.2"),
        new RunLimits.HostEntry("v6", "::1"), new RunLimits.HostEntry("gw", "127.0.0.1")), 0, List.of());
    assertEquals("127.0.0.1\tlocalhost jbuild\n::1\tlocalhost ip6-localhost ip6-loopback\n"
        + "10.0.0.2\tdb\n::1\tv6\n127.0.0.1\tgw\n", RuntimeSpec.hostsFile(spec(limits)));
    JsonNode hosts = mount(json(limits), "/etc/hosts");
    assertEquals("bind", hosts.get("type").asText());
    assertEquals("/b/hosts", hosts.get("source").asText());
    assertEquals(List.of("rbind", "ro", "nosuid", "nodev", "noexec"), options(hosts));
  }

  @Test
  void hostLimitsAreReadFromProcLimitsAndBoundTheHardLimits() {
    HostLimits host = HostLimits.parse(List.of(
        "Limit                     Soft Limit           Hard Limit           Units     ",
        "Max cpu time              unlimited            unlimited            seconds   ",
        "Max processes             96363                96363                processes ",
        "Max open files            20000                20000                files     ",
        "Max nice priority         0                    0                    "));
    assertEquals(Map.of("cpu", Long.MAX_VALUE, "nproc", 96363L, "nofile", 20000L, "nice", 0L), host.hard());
    assertEquals(Optional.empty(), host.excess(List.of(new RunLimits.Rlimit("nofile", 1024, 20000),
        new RunLimits.Rlimit("cpu", 10, 1L << 40), new RunLimits.Rlimit("rss", 1, 2))));
    assertEquals(Optional.of("the hard limit 20001 for nofile exceeds this host's hard limit 20000"
        + " (a build cannot raise it; ask for at most 20000)"),
        host.excess(List.of(new RunLimits.Rlimit("nproc", 1, 1), new RunLimits.Rlimit("nofile", 1024, 20001))));
  }
}
