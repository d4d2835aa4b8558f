package dev.jbuild.cli;

/** A failure explained to the user; printed without a stack trace, exit code 1. */
final class UserError extends Exception {
  UserError(String message) {
    super(message);
  }

  UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
