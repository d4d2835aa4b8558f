package dev.jbuild.registry;

/**
 * A registry operation failed. The message is one line for people (what, where, and what to do)
 * and never contains credentials; {@link #kind()} lets callers react (e.g. treat a missing cache
 * image as a miss).
 */
public class RegistryException extends Exception {

  /** What went wrong, coarsely. */
  public enum Kind {
    /** The repository, tag, manifest or blob does not exist. */
    NOT_FOUND,
    /** No or wrong credentials, or the credentials may not do this. */
    UNAUTHORIZED,
    /** The registry host cannot be reached (DNS, refused, TLS, timeout). */
    UNREACHABLE,
    /** The image exists but has nothing for the requested platform. */
    NO_MATCHING_PLATFORM,
    /** Content did not match its digest, or a document is malformed or unsupported. */
    INVALID_CONTENT,
    /** Any other answer the registry should not have given. */
    PROTOCOL
  }

  private final Kind kind;

  /** A failure of no particular kind ({@link Kind#PROTOCOL}). */
  public RegistryException(String message) {
    this(Kind.PROTOCOL, message);
  }

  public RegistryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public RegistryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
