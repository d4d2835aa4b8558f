package dev.jbuild.nativeexec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.oci.JsonTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The OCI runtime spec (config.json, version 1.0.2) for one run, close to what Docker uses for a
 * build step: its default capability set, masked and read-only /proc and /sys paths, a private
 * /dev, and no cgroup limits (so crun also accepts it on hybrid cgroup hosts).
 */
final class RuntimeSpec {
  static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
      "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
  static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
      "/sys/firmware", "/sys/devices/virtual/powercap");
  /** Every capability by number (capability.h), for --security=insecure up to the kernel's last. */
  static final List<String> ALL_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
      "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
      "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
      "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN",
      "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
      "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
      "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
      "CAP_CHECKPOINT_RESTORE");
  static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
      "/proc/sysrq-trigger");
  /** Soft limit as Docker gives builds; the hard one lets programs raise it (never above the host's). */
  private static final long NOFILE_SOFT = 1024;
  private static final long NOFILE_HARD = 524288;

  private RuntimeSpec() {}

  /** One entry of the spec's mounts, with host paths already prepared by the executor. */
  record RuntimeMount(String destination, String type, String source, List<String> options) {
    RuntimeMount {
      options = List.copyOf(options);
    }
  }

  /**
   * @param resolvConf host file bind-mounted read-only at /etc/resolv.conf
   * @param hosts generated file ({@link #hostsFile}) bind-mounted read-only at /etc/hosts
   * @param host the limits the step's rlimits are kept within (checked before: {@link HostLimits#excess})
   * @param extraMounts the run's own mounts ({@link ExecSpec#mounts()} prepared on the host), after the standard ones
   */
  static byte[] json(ExecSpec spec, Path resolvConf, Path hosts, HostLimits host, List<RuntimeMount> extraMounts)
      throws IOException {
    boolean insecure = spec.security() == Security.INSECURE;
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode config = f.objectNode();
    config.put("ociVersion", "1.0.2");

    ObjectNode process = config.putObject("process");
    process.put("terminal", false);
    ObjectNode user = process.putObject("user");
    user.put("uid", spec.uid());
    user.put("gid", spec.gid());
    if (!spec.additionalGids().isEmpty()) {
      ArrayNode gids = user.putArray("additionalGids");
      spec.additionalGids().forEach(gids::add);
    }
    strings(process.putArray("args"), spec.args());
    ArrayNode env = process.putArray("env");
    if (spec.env().stream().noneMatch(e -> e.startsWith("PATH="))) {
      env.add(DEFAULT_PATH);
    }
    strings(env, spec.env());
    process.put("cwd", spec.cwd());
    ObjectNode caps = process.putObject("capabilities");
    List<String> capabilities = insecure ? hostCapabilities() : CAPABILITIES;
    for (String set : List.of("bounding", "effective", "permitted")) {
      strings(caps.putArray(set), capabilities);
    }
    ArrayNode rlimits = process.putArray("rlimits");
    for (RunLimits.Rlimit r : rlimits(spec.limits(), host)) {
      rlimits.addObject().put("type", r.type()).put("hard", r.hard()).put("soft", r.soft());
    }
    process.put("noNewPrivileges", false);

    ObjectNode root = config.putObject("root");
    root.put("path", spec.rootfs().toAbsolutePath().toString());
    root.put("readonly", false);
    config.put("hostname", spec.hostname());

    ArrayNode mounts = config.putArray("mounts");
    mount(mounts, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
    mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
    mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
    long shm = spec.limits().shmSizeBytes();
    mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777",
        shm > 0 ? "size=" + shm : "size=65536k");
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
    String sysAccess = insecure ? "rw" : "ro";
    if (UserNamespace.isNested() && spec.network() == NetworkMode.HOST) {
      // sysfs belongs to the network namespace, which a user namespace cannot mount for the host's
      mount(mounts, "/sys", "bind", "/sys", "rbind", "nosuid", "noexec", "nodev", sysAccess);
    } else {
      mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", sysAccess);
    }
    mount(mounts, "/etc/resolv.conf", "bind", resolvConf.toString(), "rbind", "ro", "nosuid", "nodev", "noexec");
    mount(mounts, "/etc/hosts", "bind", hosts.toString(), "rbind", "ro", "nosuid", "nodev", "noexec");
    for (RuntimeMount m : extraMounts) {
      mount(mounts, m.destination(), m.type(), m.source(), m.options().toArray(String[]::new));
    }

    ObjectNode linux = config.putObject("linux");
    ArrayNode namespaces = linux.putArray("namespaces");
    for (String ns : spec.network() == NetworkMode.NONE
        ? List.of("pid", "ipc", "uts", "mount", "network") : List.of("pid", "ipc", "uts", "mount")) {
      namespaces.addObject().put("type", ns);
    }
    // Device access as Docker allows it: nothing beyond what the runtime itself whitelists
    // (everything for an insecure step, as for a privileged container).
    ObjectNode devices = linux.putObject("resources").putArray("devices").addObject();
    devices.put("allow", insecure);
    devices.put("access", "rwm");
    if (!insecure) {
      strings(linux.putArray("maskedPaths"), MASKED_PATHS);
      strings(linux.putArray("readonlyPaths"), READONLY_PATHS);
    }
    return JsonTrees.writePretty(config);
  }

  /**
   * The process's rlimits: the default {@code nofile} (Docker's, within the host's hard limit)
   * unless the build sets its own, then the build's in its order.
   */
  static List<RunLimits.Rlimit> rlimits(RunLimits limits, HostLimits host) {
    List<RunLimits.Rlimit> out = new java.util.ArrayList<>();
    if (limits.rlimits().stream().noneMatch(r -> r.name().equals("nofile"))) {
      long hard = Math.min(NOFILE_HARD, host.hard("nofile").orElse(1024));
      out.add(new RunLimits.Rlimit("nofile", Math.min(NOFILE_SOFT, hard), hard));
    }
    out.addAll(limits.rlimits());
    return out;
  }

  /**
   * The run's /etc/hosts: loopback names and the hostname, then the build's extra entries as
   * BuildKit writes them ({@code ADDRESS<tab>NAME}).
   */
  static String hostsFile(ExecSpec spec) {
    StringBuilder b = new StringBuilder("127.0.0.1\tlocalhost ").append(spec.hostname())
        .append("\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    for (RunLimits.HostEntry h : spec.limits().extraHosts()) {
      b.append(h.address()).append('\t').append(h.name()).append('\n');
    }
    return b.toString();
  }

  /**
   * Every capability this process may hand on: its bounding set (a runtime cannot grant more; in
   * a VM or container that set can lack some, e.g. CAP_SYS_RESOURCE).
   */
  static List<String> hostCapabilities() {
    long bounding = -1L;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapBnd:")) {
          bounding = Long.parseUnsignedLong(line.substring("CapBnd:".length()).strip(), 16);
        }
      }
    } catch (IOException | RuntimeException e) {
      // keep every name we know
    }
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < ALL_CAPABILITIES.size(); i++) {
      if ((bounding & (1L << i)) != 0) {
        out.add(ALL_CAPABILITIES.get(i));
      }
    }
    return out;
  }

  private static void mount(ArrayNode mounts, String destination, String type, String source, String... options) {
    ObjectNode m = mounts.addObject();
    m.put("destination", destination);
    m.put("type", type);
    m.put("source", source);
    strings(m.putArray("options"), List.of(options));
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
