package dev.jbuild.parser;

/**
 * A word that cannot be expanded: a {@code ${V:?message}} on an unset variable, a missing
 * {@code '}'}, an unterminated quote, a bad substitution. The message is meant for users as is
 * (e.g. {@code V: must be set}); callers add the file location.
 */
public class ExpansionException extends Exception {
  public ExpansionException(String message) {
    super(message);
  }
}
