package dev.jbuild.nativeexec;

/** A layer that cannot be applied safely or is not a valid tar; the message is for people. */
public class LayerException extends Exception {
  public LayerException(String message) {
    super(message);
  }

  public LayerException(String message, Throwable cause) {
    super(message, cause);
  }
}
