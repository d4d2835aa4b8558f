package dev.jbuild.parser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns an instruction's checked {@link Flag}s (names and kinds already validated by
 * {@link FlagRules}) into its typed flag record, reporting bad values at the flag.
 */
final class TypedFlags {
  private final SourceText source;
  private final List<Flag> flags;

  TypedFlags(SourceText source, List<Flag> flags) {
    this.source = source;
    this.flags = flags;
  }

  Optional<String> platform() {
    return string("platform");
  }

  RunFlags run() throws DockerfileException {
    RunFlags.Network network = choice("network", RunFlags.Network.DEFAULT,
        "unsupported network mode \"%s\" (expected default, none or host)");
    RunFlags.Security security = choice("security", RunFlags.Security.SANDBOX,
        "security mode \"%s\" is not valid (expected sandbox or insecure)");
    return new RunFlags(all("mount"), network, security, all("device"));
  }

  /** A flag whose value names a constant of {@code E} in lower case, as written (unexpanded). */
  private <E extends Enum<E>> E choice(String name, E absent, String reason) throws DockerfileException {
    Optional<Flag> f = flag(name);
    if (f.isEmpty()) {
      return absent;
    }
    String v = value(f.get());
    for (E e : absent.getDeclaringClass().getEnumConstants()) {
      if (e.name().toLowerCase(java.util.Locale.ROOT).equals(v)) {
        return e;
      }
    }
    throw source.error(f.get().range(), String.format(reason, v));
  }

  CopyFlags copy() {
    return new CopyFlags(string("from"), string("chown"), string("chmod"), bool("link"),
        bool("parents"), all("exclude"));
  }

  AddFlags add() {
    Optional<Boolean> unpack = flag("unpack").map(f -> isTrue(f));
    return new AddFlags(string("chown"), string("chmod"), bool("link"), bool("keep-git-dir"),
        string("checksum"), all("exclude"), unpack);
  }

  HealthcheckFlags healthcheck() throws DockerfileException {
    Optional<Integer> retries = Optional.empty();
    Optional<Flag> r = flag("retries");
    if (r.isPresent() && !value(r.get()).isEmpty()) {
      String v = value(r.get());
      long n;
      try {
        n = Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw source.error(r.get().range(), "invalid value \"" + v + "\" for --retries: not a whole number");
      }
      if (n < 0) {
        throw source.error(r.get().range(), "--retries cannot be negative (" + v + ")");
      }
      if (n > Integer.MAX_VALUE) {
        throw source.error(r.get().range(), "--retries " + v + " is out of range");
      }
      retries = Optional.of((int) n);
    }
    return new HealthcheckFlags(duration("interval"), duration("timeout"),
        duration("start-period"), duration("start-interval"), retries);
  }

  /** As BuildKit: empty means unset; 0 is kept; anything else must be at least 1ms. */
  private Optional<Duration> duration(String name) throws DockerfileException {
    Optional<Flag> f = flag(name);
    if (f.isEmpty() || value(f.get()).isEmpty()) {
      return Optional.empty();
    }
    String v = value(f.get());
    Duration d;
    try {
      d = GoDuration.parse(v);
    } catch (IllegalArgumentException e) {
      throw source.error(f.get().range(), "invalid duration \"" + v + "\" for --" + name + ": "
          + e.getMessage() + " (examples: 30s, 1m30s, 500ms)");
    }
    if (d.isNegative()) {
      throw source.error(f.get().range(), "--" + name + " cannot be negative (" + v + ")");
    }
    if (!d.isZero() && d.toNanos() < 1_000_000) {
      throw source.error(f.get().range(), "--" + name + " cannot be less than 1ms (" + v + ")");
    }
    return Optional.of(d);
  }

  private Optional<Flag> flag(String name) {
    for (Flag f : flags) {
      if (f.name().equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  private Optional<String> string(String name) {
    return flag(name).map(TypedFlags::value);
  }

  private List<String> all(String name) {
    List<String> out = new ArrayList<>();
    for (Flag f : flags) {
      if (f.name().equals(name)) {
        out.add(value(f));
      }
    }
    return out;
  }

  private boolean bool(String name) {
    return flag(name).map(TypedFlags::isTrue).orElse(false);
  }

  /** A boolean flag written bare is true; its value was checked to be true or false. */
  private static boolean isTrue(Flag f) {
    return f.value().map(v -> v.replace("\"", "").replace("'", "").equalsIgnoreCase("true")).orElse(true);
  }

  private static String value(Flag f) {
    return f.value().orElse("");
  }
}
