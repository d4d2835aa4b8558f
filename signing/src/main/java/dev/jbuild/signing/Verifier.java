package dev.jbuild.signing;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/** Checks signatures against a public key. */
public final class Verifier {
  private final PublicKey key;
  private final KeyType type;

  Verifier(PublicKey key) {
    this.key = key;
    this.type = KeyType.of(key);
  }

  public KeyType type() {
    return type;
  }

  /** Whether {@code signature} is this key's over {@code data}; a malformed signature is simply not valid. */
  public boolean verify(byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance(type.signatureAlgorithm(), Bc.PROVIDER);
      s.initVerify(key);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
