package dev.jbuild.nativeexec;

import java.util.Locale;

/** Settings JNA must see before its first library load. */
final class JnaSetup {
  private JnaSetup() {}

  /**
   * JNA's NativeLibrary runs {@code ldconfig -p} (a process, ≈ 20 ms per build) to learn a library
   * search path unless {@code jna.platform.library.path} is set. jbuild loads its libraries by soname
   * ({@code libc.so.6}, {@code libcrypto.so.3}), which the dynamic loader finds itself; the path
   * given here is only JNA's fallback.
   */
  static void avoidLdconfig() {
    if (System.getProperty("jna.platform.library.path") != null) {
      return;
    }
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String triplet = switch (arch) {
      case "amd64", "x86_64" -> "x86_64-linux-gnu";
      case "aarch64", "arm64" -> "aarch64-linux-gnu";
      case "arm" -> "arm-linux-gnueabihf";
      case "ppc64le" -> "powerpc64le-linux-gnu";
      case "s390x" -> "s390x-linux-gnu";
      case "riscv64" -> "riscv64-linux-gnu";
      default -> arch + "-linux-gnu";
    };
    System.setProperty("jna.platform.library.path",
        "/usr/lib/" + triplet + ":/lib/" + triplet + ":/usr/lib64:/lib64:/usr/lib:/lib");
  }
}
