package dev.jbuild.signing;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/**
 * Signs bytes with a private key. Holds the key privately and never prints it: {@code toString}
 * names only the algorithm, so a signer in a log or an exception message leaks nothing.
 */
public final class Signer {
  private final PrivateKey key;
  private final KeyType type;

  Signer(PrivateKey key) {
    this.key = key;
    this.type = KeyType.of(key);
  }

  public KeyType type() {
    return type;
  }

  /** The signature: ASN.1 DER for ECDSA (as cosign writes it), the raw 64 bytes for Ed25519. */
  public byte[] sign(byte[] data) throws SigningException {
    try {
      Signature s = Signature.getInstance(type.signatureAlgorithm(), Bc.PROVIDER);
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new SigningException("signing with the " + type.flagValue() + " key failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "Signer[" + type.flagValue() + "]";
  }
}
