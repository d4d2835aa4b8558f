package dev.jbuild.oci;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/** A content digest such as {@code sha256:0123…}. Only sha256 is produced; others are rejected. */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
  private static volatile Supplier<MessageDigest> sha256Factory = Digest::jdkSha256;

  public Digest {
    if (!algorithm.equals("sha256")) {
      throw new IllegalArgumentException("unsupported digest algorithm: " + algorithm);
    }
    if (!isSha256Hex(hex)) {
      throw new IllegalArgumentException("invalid sha256 digest: " + hex);
    }
  }

  /**
   * Whether {@code hex} is 64 lowercase hex digits (a sha256 digest's hex, a blob's or record's file
   * name). Not String.matches: that compiles a regex per call, and a build makes a digest per context file.
   */
  public static boolean isSha256Hex(String hex) {
    if (hex.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  // equals and hashCode written out (same values as a record's generated ones): the generated ones
  // are bootstrapped by an invokedynamic on first use, which no AOT cache keeps (≈ 10 ms of a build)

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && hex.equals(d.hex) && algorithm.equals(d.algorithm);
  }

  @Override
  public int hashCode() {
    return 31 * algorithm.hashCode() + hex.hashCode();
  }

  /** Parses {@code sha256:<64 hex>}. */
  public static Digest parse(String s) {
    int colon = s.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("invalid digest \"" + s + "\": expected sha256:<hex>");
    }
    return new Digest(s.substring(0, colon), s.substring(colon + 1));
  }

  public static Digest sha256(byte[] data) {
    MessageDigest md = newSha256();
    return new Digest("sha256", HexFormat.of().formatHex(md.digest(data)));
  }

  public static Digest sha256(InputStream in) throws IOException {
    MessageDigest md = newSha256();
    byte[] buf = new byte[1 << 16];
    int n;
    while ((n = in.read(buf)) > 0) {
      md.update(buf, 0, n);
    }
    return of(md);
  }

  public static Digest of(MessageDigest finished) {
    return new Digest("sha256", HexFormat.of().formatHex(finished.digest()));
  }

  /** A SHA-256 digest from the implementation set with {@link #useSha256}, the JDK's by default. */
  public static MessageDigest newSha256() {
    return sha256Factory.get();
  }

  /** The JDK's own SHA-256, whatever {@link #useSha256} set. */
  public static MessageDigest jdkSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  /**
   * Makes {@link #newSha256} return {@code factory}'s digests from now on: the CLI puts a native one
   * here (the JDK's runs without its CPU intrinsic under the launcher's C1-only JIT). A hook rather
   * than a JCA provider: inserting a provider loads every configured provider (TLS, JCE) at start.
   */
  public static void useSha256(Supplier<MessageDigest> factory) {
    sha256Factory = factory;
  }

  /** The first 12 hex characters, as docker prints image ids. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  @Override
  public int compareTo(Digest o) {
    return toString().compareTo(o.toString());
  }
}
