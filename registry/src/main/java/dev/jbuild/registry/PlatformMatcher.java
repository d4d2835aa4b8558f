package dev.jbuild.registry;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.PlatformSpec;
import dev.jbuild.platform.Platform;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Picks an index entry for a platform with containerd's rules: os and architecture must match
 * after normalisation ({@code aarch64} is {@code arm64}, {@code arm64/v8} is {@code arm64});
 * an exact variant wins, else the highest older variant the platform can run ({@code arm/v7}
 * runs {@code v6} and {@code v5}, {@code amd64/v3} runs {@code v2}); ties go to index order.
 */
final class PlatformMatcher {
  private PlatformMatcher() {}

  static Optional<Descriptor> select(List<Descriptor> entries, Platform wanted) {
    Platform want = normalised(wanted);
    Descriptor best = null;
    int bestRank = Integer.MIN_VALUE;
    for (Descriptor d : entries) {
      if (d.platform() == null) {
        continue;
      }
      OptionalInt rank = rank(d.platform(), want);
      if (rank.isPresent() && rank.getAsInt() > bestRank) {
        best = d;
        bestRank = rank.getAsInt();
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether an image of {@code offered} runs as {@code wanted}. */
  static boolean matches(Platform offered, Platform wanted) {
    return rank(PlatformSpec.of(normalised(offered)), normalised(wanted)).isPresent();
  }

  /** Higher is better; empty if the entry cannot run as {@code want}. */
  private static OptionalInt rank(PlatformSpec spec, Platform want) {
    Platform got = spec.toPlatform();
    if (!got.os().equals(want.os()) || !got.architecture().equals(want.architecture())) {
      return OptionalInt.empty();
    }
    if (got.variant().equals(want.variant())) {
      // among equal platforms, prefer the one spelled like the request (arm64 "v8" vs none)
      String raw = spec.variant() == null ? "" : spec.variant();
      return OptionalInt.of(raw.equals(want.indexVariant()) ? 1001 : 1000);
    }
    int gotLevel = level(got);
    int wantLevel = level(want);
    if (gotLevel < 0 || wantLevel < 0 || gotLevel > wantLevel) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(gotLevel);
  }

  /** The variant as a number where older variants run on newer CPUs; -1 if not comparable. */
  private static int level(Platform p) {
    String v = p.variant();
    if (v.isEmpty()) {
      return switch (p.architecture()) {
        case "amd64" -> 1;
        case "arm64" -> 80;
        default -> -1;
      };
    }
    if (!v.matches("v\\d+(\\.\\d)?")) {
      return -1;
    }
    String[] parts = v.substring(1).split("\\.");
    int major = Integer.parseInt(parts[0]);
    int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
    return switch (p.architecture()) {
      case "arm" -> major <= 8 ? major : -1;
      case "amd64" -> major <= 4 ? major : -1;
      case "arm64" -> major * 10 + minor;
      default -> -1;
    };
  }

  private static Platform normalised(Platform p) {
    return Platform.normalise(p.os(), p.architecture(), p.variant());
  }

  /** {@code os/arch[/variant]} as the entry spells it, for listing what an index offers. */
  static String describe(PlatformSpec spec) {
    StringBuilder b = new StringBuilder(spec.os() == null ? "unknown" : spec.os())
        .append('/').append(spec.architecture() == null ? "unknown" : spec.architecture());
    if (spec.variant() != null && !spec.variant().isEmpty()) {
      b.append('/').append(spec.variant());
    }
    return b.toString();
  }
}
