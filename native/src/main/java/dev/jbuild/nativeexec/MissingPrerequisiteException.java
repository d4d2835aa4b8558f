package dev.jbuild.nativeexec;

/** A program or kernel feature jbuild needs is absent; the message says exactly what to install. */
public class MissingPrerequisiteException extends Exception {
  public MissingPrerequisiteException(String message) {
    super(message);
  }
}
