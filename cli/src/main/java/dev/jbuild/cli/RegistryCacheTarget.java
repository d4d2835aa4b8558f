package dev.jbuild.cli;

import dev.jbuild.cache.CacheExchange;
import dev.jbuild.cache.CacheTarget;
import dev.jbuild.cache.ContentStore;
import dev.jbuild.oci.Digest;
import dev.jbuild.registry.FetchedManifest;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** {@code type=registry}: the cache export as an OCI artifact manifest under a tag of a registry repository. */
final class RegistryCacheTarget implements CacheTarget {
  private final RegistryClient client;
  private final ImageReference ref;

  RegistryCacheTarget(RegistryClient client, ImageReference ref) {
    this.client = client;
    this.ref = ref;
  }

  @Override
  public String describe() {
    return "type=registry,ref=" + ref;
  }

  /** A registry call; its failures reach the cache code as IOExceptions with the registry's message. */
  @FunctionalInterface
  private interface Call<T> {
    T run() throws RegistryException;
  }

  private static <T> T io(Call<T> call) throws IOException {
    try {
      return call.run();
    } catch (RegistryException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public boolean hasBlob(Digest digest) throws IOException {
    return io(() -> client.hasBlob(ref, digest));
  }

  @Override
  public void putBlob(Digest digest, long size, String mediaType, ContentStore from) throws IOException {
    io(() -> {
      client.pushBlob(ref, digest, size, () -> from.open(digest), Optional.empty());
      return null;
    });
  }

  @Override
  public InputStream openBlob(Digest digest) throws IOException {
    return io(() -> client.openBlob(ref, digest));
  }

  @Override
  public void putManifest(byte[] manifest) throws IOException {
    io(() -> client.pushManifest(ref, ref.tag().orElse(ImageReference.DEFAULT_TAG), manifest, CacheExchange.MANIFEST_TYPE));
  }

  @Override
  public Optional<byte[]> manifest() throws IOException {
    try {
      FetchedManifest m = client.fetchManifest(ref);
      return Optional.of(m.bytes());
    } catch (RegistryException e) {
      if (e.kind() == RegistryException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw new IOException(e.getMessage(), e);
    }
  }
}
