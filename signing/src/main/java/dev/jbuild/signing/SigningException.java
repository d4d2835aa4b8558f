package dev.jbuild.signing;

/** A key or signature problem explained for people (the message never contains key material). */
public final class SigningException extends Exception {
  public SigningException(String message) {
    super(message);
  }

  public SigningException(String message, Throwable cause) {
    super(message, cause);
  }
}
