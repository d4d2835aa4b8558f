package dev.jbuild.oci;

/** A manifest, index or config that does not parse or breaks the image spec. */
public class InvalidDocumentException extends Exception {
  public InvalidDocumentException(String message) {
    super(message);
  }

  public InvalidDocumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
