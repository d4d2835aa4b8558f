package dev.jbuild.cache;

import java.io.IOException;

/** A stored blob whose bytes no longer match its digest. The blob is removed when detected. */
public class CorruptContentException extends IOException {
  public CorruptContentException(String message) {
    super(message);
  }
}
