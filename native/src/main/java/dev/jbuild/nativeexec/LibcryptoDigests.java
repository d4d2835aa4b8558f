package dev.jbuild.nativeexec;

import dev.jbuild.oci.Digest;

/**
 * Makes every {@link Digest#newSha256()} of the process a {@link LibcryptoSha256}: OpenSSL's SHA-256
 * for anything over 64 KiB, the JDK's below.
 *
 * <p>Why: the launcher runs the JVM with C1 only (it starts faster), and C1 has no SHA intrinsic: the
 * JDK's SHA-256 then hashes ≈ 150 MB/s where OpenSSL, with the CPU's SHA extensions, does ≈ 1.5 GB/s.
 * A cold build hashes every layer at least twice (blob digest and diff id), a COPY its context and its
 * layer. Small digests stay on the JDK so that a no-op build never loads JNA or libcrypto; without
 * libcrypto everything stays on the JDK.
 */
public final class LibcryptoDigests {
  private LibcryptoDigests() {}

  /** Installs the hybrid digest; costs nothing until a digest grows past its threshold. */
  public static void install() {
    Digest.useSha256(LibcryptoSha256::new);
  }

  /** Whether libcrypto's SHA-256 can be used here (loads it on the first call). */
  public static boolean available() {
    return LibcryptoSha256.available();
  }
}
