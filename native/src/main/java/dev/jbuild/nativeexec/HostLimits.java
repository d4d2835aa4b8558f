package dev.jbuild.nativeexec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The hard resource limits of this process, which a RUN step cannot exceed: the runtime sets the
 * step's rlimits from here, and raising a hard limit needs a privilege a build may lack (on these
 * machines the hard {@code nofile} is 20000). Unlimited is {@link Long#MAX_VALUE}.
 *
 * @param hard by Docker's ulimit name
 */
public record HostLimits(Map<String, Long> hard) {
  /** /proc/self/limits' row titles by Docker's ulimit names. */
  private static final Map<String, String> ROWS = Map.ofEntries(Map.entry("Max cpu time", "cpu"),
      Map.entry("Max file size", "fsize"), Map.entry("Max data size", "data"), Map.entry("Max stack size", "stack"),
      Map.entry("Max core file size", "core"), Map.entry("Max resident set", "rss"),
      Map.entry("Max processes", "nproc"), Map.entry("Max open files", "nofile"),
      Map.entry("Max locked memory", "memlock"), Map.entry("Max address space", "as"),
      Map.entry("Max file locks", "locks"), Map.entry("Max pending signals", "sigpending"),
      Map.entry("Max msgqueue size", "msgqueue"), Map.entry("Max nice priority", "nice"),
      Map.entry("Max realtime priority", "rtprio"), Map.entry("Max realtime timeout", "rttime"));

  public HostLimits {
    hard = Map.copyOf(hard);
  }

  /** This process's limits; empty where /proc cannot be read (nothing is then refused here). */
  public static HostLimits current() {
    try {
      return parse(Files.readAllLines(Path.of("/proc/self/limits")));
    } catch (IOException e) {
      return new HostLimits(Map.of());
    }
  }

  /** Parses the text of /proc/PID/limits. */
  static HostLimits parse(List<String> lines) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : lines) {
      for (Map.Entry<String, String> row : ROWS.entrySet()) {
        if (line.startsWith(row.getKey() + " ")) {
          String[] f = line.substring(row.getKey().length()).trim().split("\\s+");
          if (f.length >= 2) {
            out.put(row.getValue(), f[1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[1]));
          }
        }
      }
    }
    return new HostLimits(out);
  }

  public OptionalLong hard(String name) {
    Long v = hard.get(name);
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /** Why the first of {@code rlimits} asking for more than this host allows cannot be given, if one does. */
  public Optional<String> excess(List<RunLimits.Rlimit> rlimits) {
    for (RunLimits.Rlimit r : rlimits) {
      OptionalLong max = hard(r.name());
      if (max.isPresent() && r.hard() > max.getAsLong()) {
        return Optional.of("the hard limit " + r.hard() + " for " + r.name() + " exceeds this host's hard limit "
            + max.getAsLong() + " (a build cannot raise it; ask for at most " + max.getAsLong() + ")");
      }
    }
    return Optional.empty();
  }
}
