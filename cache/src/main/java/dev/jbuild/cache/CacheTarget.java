package dev.jbuild.cache;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where a cache export is kept (a local OCI layout directory, a registry repository): blobs by
 * digest and one root manifest. Implementations move bytes; {@link CacheExchange} verifies them.
 */
public interface CacheTarget {
  /** For messages: {@code type=local,src=DIR} or {@code type=registry,ref=REF}. */
  String describe();

  boolean hasBlob(Digest digest) throws IOException;

  /** Copies a blob from the content store (the content store verifies what it reads). */
  void putBlob(Digest digest, long size, String mediaType, ContentStore from) throws IOException;

  /** The blob's bytes, unverified: the reader checks them against {@code digest}. */
  InputStream openBlob(Digest digest) throws IOException;

  /** Stores the root manifest (an OCI image manifest of media type {@link CacheExchange#MANIFEST_TYPE}). */
  void putManifest(byte[] manifest) throws IOException;

  /** The root manifest's bytes, or empty when nothing was exported there yet. */
  Optional<byte[]> manifest() throws IOException;
}
