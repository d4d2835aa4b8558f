package dev.jbuild.exporters;

/** An output could not be written; the message is for people and names the output. */
public class ExportException extends Exception {
  public ExportException(String message, Throwable cause) {
    super(message, cause);
  }

  public ExportException(String message) {
    super(message);
  }
}
