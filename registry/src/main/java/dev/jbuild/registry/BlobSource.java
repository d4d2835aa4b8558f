package dev.jbuild.registry;

import java.io.IOException;
import java.io.InputStream;

/** Opens a blob's bytes for upload; may be called again when an upload is retried. */
@FunctionalInterface
public interface BlobSource {
  InputStream open() throws IOException;

  static BlobSource of(java.nio.file.Path file) {
    return () -> java.nio.file.Files.newInputStream(file);
  }

  static BlobSource of(byte[] bytes) {
    return () -> new java.io.ByteArrayInputStream(bytes);
  }
}
