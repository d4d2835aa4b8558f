package dev.jbuild.nativeexec;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a build gives every RUN process beyond its command ({@code --add-host}, {@code --shm-size},
 * {@code --ulimit}). None of it reaches the root filesystem: the hosts entries are in a per-run
 * file mounted over /etc/hosts, /dev/shm is a tmpfs, rlimits belong to the process.
 *
 * @param extraHosts lines added to the run's /etc/hosts, in order
 * @param shmSizeBytes the /dev/shm tmpfs size; 0 keeps the default (64 MiB, as Docker's)
 * @param rlimits resource limits of the process; one for {@code nofile} replaces the default
 */
public record RunLimits(List<HostEntry> extraHosts, long shmSizeBytes, List<Rlimit> rlimits) {
  public static final RunLimits NONE = new RunLimits(List.of(), 0, List.of());

  public RunLimits {
    extraHosts = List.copyOf(extraHosts);
    rlimits = List.copyOf(rlimits);
    if (shmSizeBytes < 0) {
      throw new IllegalArgumentException("shm size must not be negative: " + shmSizeBytes);
    }
  }

  /** One /etc/hosts line: {@code address} (IPv4 or IPv6, no brackets) for {@code name}. */
  public record HostEntry(String name, String address) {
    public HostEntry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(address, "address");
    }
  }

  /**
   * A resource limit by Docker's name ({@code nofile}, {@code nproc}, {@code core}, …).
   *
   * @param soft the limit the process starts with
   * @param hard the ceiling it may raise the soft limit to
   */
  public record Rlimit(String name, long soft, long hard) {
    public Rlimit {
      Objects.requireNonNull(name, "name");
      if (soft > hard) {
        throw new IllegalArgumentException(name + ": soft limit " + soft + " exceeds hard limit " + hard);
      }
    }

    /** The OCI runtime spec's type, e.g. {@code RLIMIT_NOFILE}. */
    public String type() {
      return "RLIMIT_" + name.toUpperCase(Locale.ROOT);
    }
  }
}
