package dev.jbuild.nativeexec;

import java.security.Provider;
import java.security.Security;
import java.util.List;

/**
 * SHA-256 from the system's OpenSSL ({@code libcrypto.so.3}) as the first JCA provider, so every
 * {@code MessageDigest.getInstance("SHA-256")} in the process uses it.
 *
 * <p>Why: the launcher runs the JVM with C1 only (it starts faster), and C1 has no SHA intrinsic:
 * the JDK's SHA-256 then hashes ≈ 150 MB/s where OpenSSL, with the CPU's SHA extensions, does
 * ≈ 1.5 GB/s. A cold build hashes every layer at least twice (blob digest and diff id), a COPY its
 * context and its layer. Without libcrypto nothing changes: the JDK's digest stays in use.
 */
public final class LibcryptoDigests extends Provider {
  public static final String NAME = "jbuild-libcrypto";
  private static final long serialVersionUID = 1L;

  private LibcryptoDigests() {
    super(NAME, "1", "SHA-256 from the system's libcrypto");
    putService(new Service(this, "MessageDigest", "SHA-256", LibcryptoSha256.class.getName(),
        List.of("SHA256", "2.16.840.1.101.3.4.2.1", "OID.2.16.840.1.101.3.4.2.1"), null) {
      @Override
      public Object newInstance(Object constructorParameter) {
        return new LibcryptoSha256(); // no reflection: the class is package-private
      }
    });
  }

  /**
   * Puts the provider first, once per process.
   *
   * @return whether libcrypto's SHA-256 is now in use (false when the library cannot be loaded)
   */
  public static synchronized boolean install() {
    if (Security.getProvider(NAME) != null) {
      return true;
    }
    if (!LibcryptoSha256.available()) {
      return false;
    }
    Security.insertProviderAt(new LibcryptoDigests(), 1);
    return true;
  }
}
