package dev.jbuild.platform;

import java.util.Locale;
import java.util.Objects;

/**
 * A target platform as in the OCI image index: {@code os/architecture[/variant]}, normalised the
 * way containerd does so that equal platforms compare equal ({@code aarch64} is {@code arm64},
 * {@code arm64/v8} is {@code arm64}, {@code armhf} is {@code arm/v7}, {@code x86_64} is
 * {@code amd64}).
 *
 * @param variant empty when the architecture has no (or only its default) variant
 */
public record Platform(String os, String architecture, String variant) implements Comparable<Platform> {

  public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", "");
  public static final Platform LINUX_ARM64 = new Platform("linux", "arm64", "");

  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    variant = variant == null ? "" : variant;
  }

  /**
   * Parses {@code os/arch[/variant]} or a bare {@code arch} (taken as linux).
   *
   * @throws IllegalArgumentException with a message naming the bad part
   */
  public static Platform parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("empty platform");
    }
    String[] parts = spec.trim().toLowerCase(Locale.ROOT).split("/", -1);
    if (parts.length > 3) {
      throw new IllegalArgumentException("invalid platform \"" + spec + "\": expected os/arch[/variant]");
    }
    for (String p : parts) {
      if (p.isEmpty() || !p.matches("[a-z0-9_.-]+")) {
        throw new IllegalArgumentException("invalid platform \"" + spec + "\": expected os/arch[/variant]");
      }
    }
    if (parts.length == 1) {
      if (isKnownOs(parts[0])) {
        return normalise(parts[0], Host.architecture(), Host.variant());
      }
      return normalise("linux", parts[0], "");
    }
    return normalise(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
  }

  /** Normalises architecture aliases and default variants. */
  public static Platform normalise(String os, String arch, String variant) {
    String o = os.toLowerCase(Locale.ROOT);
    if (o.equals("macos")) {
      o = "darwin";
    }
    String a = arch.toLowerCase(Locale.ROOT);
    String v = variant == null ? "" : variant.toLowerCase(Locale.ROOT);
    switch (a) {
      case "x86_64", "x86-64", "amd64" -> {
        a = "amd64";
        if (v.equals("v1")) {
          v = "";
        }
      }
      case "i386", "i486", "i586", "i686", "386" -> a = "386";
      case "aarch64", "arm64" -> {
        a = "arm64";
        if (v.equals("v8") || v.equals("8")) {
          v = "";
        }
      }
      case "armhf", "armv7l", "armv7" -> {
        a = "arm";
        v = "v7";
      }
      case "armel", "armv6l", "armv6" -> {
        a = "arm";
        v = "v6";
      }
      case "armv5l", "armv5" -> {
        a = "arm";
        v = "v5";
      }
      case "arm" -> {
        if (v.isEmpty()) {
          v = "v7";
        } else if (v.matches("[5-8]")) {
          v = "v" + v;
        }
      }
      case "ppc64el" -> a = "ppc64le";
      default -> { }
    }
    return new Platform(o, a, v);
  }

  private static boolean isKnownOs(String s) {
    return s.equals("linux") || s.equals("windows") || s.equals("darwin") || s.equals("freebsd");
  }

  /** The variant as written into an OCI index or image config: arm64 carries "v8" as buildx does. */
  public String indexVariant() {
    if (architecture.equals("arm64") && variant.isEmpty()) {
      return "v8";
    }
    return variant;
  }

  /** The host this JVM runs on. */
  public static Platform host() {
    return normalise("linux", Host.architecture(), Host.variant());
  }

  /** Architecture as the kernel reports it in {@code uname -m} for a process of this platform. */
  public String unameMachine() {
    return switch (architecture) {
      case "amd64" -> "x86_64";
      case "arm64" -> "aarch64";
      case "386" -> "i686";
      case "arm" -> "armv7l";
      default -> architecture;
    };
  }

  /** {@code os/arch[/variant]}, the form used on the command line and in build args. */
  @Override
  public String toString() {
    return variant.isEmpty() ? os + "/" + architecture : os + "/" + architecture + "/" + variant;
  }

  @Override
  public int compareTo(Platform o) {
    return toString().compareTo(o.toString());
  }

  private static final class Host {
    static String architecture() {
      String a = System.getProperty("os.arch", "amd64");
      return switch (a) {
        case "x86_64", "amd64" -> "amd64";
        case "aarch64", "arm64" -> "arm64";
        case "arm" -> "arm";
        case "x86", "i386" -> "386";
        default -> a;
      };
    }

    static String variant() {
      return architecture().equals("arm") ? "v7" : "";
    }
  }
}
