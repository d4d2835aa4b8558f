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

  @Override
  public boolean hasBlob(Digest digest) throws IOException {
    try {
      return client.hasBlob(ref, digest);
    } catch (RegistryException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void putBlob(Digest digest, long size, String mediaType, ContentStore from) throws IOException {
    try {
      client.pushBlob(ref, digest, size, () -> from.open(digest), Optional.empty());
    } catch (RegistryException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public InputStream openBlob(Digest digest) throws IOException {
    try {
      return client.openBlob(ref, digest);
    } catch (RegistryException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void putManifest(byte[] manifest) throws IOException {
    try {
      client.pushManifest(ref, ref.tag().orElse(ImageReference.DEFAULT_TAG), manifest, CacheExchange.MANIFEST_TYPE);
    } catch (RegistryException e) {
      throw new IOException(e.getMessage(), e);
    }
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
