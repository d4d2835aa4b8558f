package dev.jbuild.signing;

/** The key algorithms jbuild signs with: cosign's default ECDSA P-256 (SHA-256) and Ed25519. */
public enum KeyType {
  ECDSA_P256("ecdsa-p256", "SHA256withECDSA"),
  ED25519("ed25519", "Ed25519");

  private final String flagValue;
  private final String signatureAlgorithm;

  KeyType(String flagValue, String signatureAlgorithm) {
    this.flagValue = flagValue;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  public String flagValue() {
    return flagValue;
  }

  String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  public static KeyType parse(String s) {
    for (KeyType t : values()) {
      if (t.flagValue.equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown key type \"" + s + "\" (expected ecdsa-p256 or ed25519)");
  }

  /** The type of a key read from a file, by its algorithm name. */
  static KeyType of(java.security.Key key) {
    String a = key.getAlgorithm();
    if (a.equals("EC") || a.equals("ECDSA")) {
      if (key instanceof java.security.interfaces.ECKey ec && ec.getParams().getCurve().getField().getFieldSize() != 256) {
        throw new IllegalArgumentException("only P-256 ECDSA keys are supported (this one has "
            + ec.getParams().getCurve().getField().getFieldSize() + " bits)");
      }
      return ECDSA_P256;
    }
    if (a.equals("Ed25519") || a.equals("EdDSA")) {
      return ED25519;
    }
    throw new IllegalArgumentException("unsupported key algorithm " + a + " (expected ECDSA P-256 or Ed25519)");
  }
}
