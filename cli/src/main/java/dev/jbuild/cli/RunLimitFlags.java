package dev.jbuild.cli;

import dev.jbuild.nativeexec.HostLimits;
import dev.jbuild.nativeexec.RunLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

/** {@code --add-host}, {@code --shm-size} and {@code --ulimit} for RUN steps, in Docker's syntax. */
final class RunLimitFlags {
  private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kmgtp])?i?b?$", Pattern.CASE_INSENSITIVE);
  private static final Set<String> ULIMITS = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
      "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

  /** What {@code --add-host NAME:host-gateway} maps to (see {@link #runLimits()}). */
  static final String HOST_GATEWAY = "127.0.0.1";

  /** One {@code --ulimit name=soft[:hard]}. */
  record Ulimit(String name, long soft, long hard) {}

  List<String> addHosts = new ArrayList<>();
  String shmSize;
  List<String> ulimits = new ArrayList<>();

  /** The options, bound to this object. */
  CommandSpec mixin() {
    return CommandSpecs.mixin(
        CommandSpecs.strings(() -> addHosts, v -> addHosts = v, "--add-host").paramLabel("HOST:IP")
            .description("Add a custom host-to-IP mapping to RUN steps' /etc/hosts (host-gateway: 127.0.0.1, the host).")
            .build(),
        CommandSpecs.option(String.class, () -> shmSize, v -> shmSize = v, "--shm-size").paramLabel("BYTES")
            .description("Size of /dev/shm in RUN steps (e.g. 128m).").build(),
        CommandSpecs.strings(() -> ulimits, v -> ulimits = v, "--ulimit").paramLabel("NAME=SOFT[:HARD]")
            .description("Resource limit for RUN steps, e.g. nofile=1024:2048.").build());
  }

  /**
   * What the flags give every RUN step. {@code host-gateway} is the host's loopback address: a
   * step's default network is the host's own namespace, where the host is 127.0.0.1 (buildx's
   * bridge gateway has no counterpart here).
   */
  RunLimits runLimits() throws UserError {
    return runLimits(HostLimits.current());
  }

  /** @param host the limits a {@code --ulimit} must stay within */
  RunLimits runLimits(HostLimits host) throws UserError {
    List<RunLimits.HostEntry> hosts = new ArrayList<>();
    for (RunLimits.HostEntry e : extraHosts()) {
      String ip = e.address().equals("host-gateway") ? HOST_GATEWAY : e.address();
      hosts.add(new RunLimits.HostEntry(e.name(), ip.startsWith("[") ? ip.substring(1, ip.length() - 1) : ip));
    }
    List<RunLimits.Rlimit> rlimits = new ArrayList<>();
    List<Ulimit> given = limits();
    for (int i = 0; i < given.size(); i++) {
      Ulimit u = given.get(i);
      RunLimits.Rlimit r = new RunLimits.Rlimit(u.name(), u.soft(), u.hard());
      Optional<String> excess = host.excess(List.of(r));
      if (excess.isPresent()) {
        throw new UserError("--ulimit " + ulimits.get(i) + ": " + excess.get());
      }
      rlimits.add(r);
    }
    return new RunLimits(hosts, Math.max(0, shmBytes()), rlimits);
  }

  /** The entries as given, in order (a name may have several addresses, e.g. IPv4 and IPv6, as in Docker). */
  List<RunLimits.HostEntry> extraHosts() throws UserError {
    List<RunLimits.HostEntry> out = new ArrayList<>();
    for (String h : addHosts) {
      int sep = h.indexOf('=') > 0 ? h.indexOf('=') : h.indexOf(':');
      if (sep <= 0 || sep == h.length() - 1) {
        throw new UserError("--add-host " + h + ": invalid argument, expected HOST:IP");
      }
      String ip = h.substring(sep + 1);
      if (!ip.equals("host-gateway") && !isIp(ip)) {
        throw new UserError("--add-host " + h + ": invalid IP address \"" + ip + "\"");
      }
      out.add(new RunLimits.HostEntry(h.substring(0, sep), ip));
    }
    return out;
  }

  /** Bytes, or -1 when not given. */
  long shmBytes() throws UserError {
    if (shmSize == null) {
      return -1;
    }
    Matcher m = SIZE.matcher(shmSize.strip());
    if (!m.matches()) {
      throw new UserError("--shm-size " + shmSize + ": invalid size (e.g. 64m, 1g, 1048576)");
    }
    double n = Double.parseDouble(m.group(1));
    int power = m.group(2) == null ? 0 : "kmgtp".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
    long bytes = (long) (n * Math.pow(1024, power));
    if (bytes <= 0) {
      throw new UserError("--shm-size " + shmSize + ": must be greater than 0");
    }
    return bytes;
  }

  List<Ulimit> limits() throws UserError {
    List<Ulimit> out = new ArrayList<>();
    for (String u : ulimits) {
      int eq = u.indexOf('=');
      String name = eq < 0 ? u : u.substring(0, eq);
      if (eq <= 0 || !ULIMITS.contains(name)) {
        throw new UserError("--ulimit " + u + ": invalid ulimit (expected NAME=SOFT[:HARD] with NAME one of "
            + String.join(", ", new java.util.TreeSet<>(ULIMITS)) + ")");
      }
      String[] v = u.substring(eq + 1).split(":", -1);
      try {
        long soft = Long.parseLong(v[0]);
        long hard = v.length > 1 ? Long.parseLong(v[1]) : soft;
        if (v.length > 2 || soft > hard) {
          throw new UserError("--ulimit " + u + ": the soft limit must not exceed the hard limit");
        }
        out.add(new Ulimit(name, soft, hard));
      } catch (NumberFormatException e) {
        throw new UserError("--ulimit " + u + ": limits must be numbers");
      }
    }
    return out;
  }

  private static boolean isIp(String s) {
    String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    if (t.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      for (String p : t.split("\\.")) {
        if (Integer.parseInt(p) > 255) {
          return false;
        }
      }
      return true;
    }
    return t.contains(":") && t.matches("[0-9a-fA-F:.]+");
  }
}
