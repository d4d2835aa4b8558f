package dev.jbuild.cli;

import dev.jbuild.cache.CacheExchange;
import dev.jbuild.cache.CacheKey;
import dev.jbuild.cache.CacheRecord;
import dev.jbuild.cache.CorruptContentException;
import dev.jbuild.cache.InlineCache;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.InvalidDocumentException;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.registry.FetchedManifest;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.registry.RegistryException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --cache-from REF} naming an image (not a cache export): the inline cache of every
 * platform's config ({@code --cache-to type=inline}), read as BuildKit's registry importer does.
 * Manifests and configs are fetched by digest and checked; layers are checked when a record is used.
 */
final class InlineCacheImport {
  private static final long MAX_CONFIG_BYTES = 64L << 20;

  private InlineCacheImport() {}

  /** The inline records of the image {@code root} names, or empty when {@code root} is a jbuild cache export. */
  static Optional<Map<CacheKey, CacheRecord>> load(RegistryClient client, ImageReference ref, FetchedManifest root)
      throws IOException {
    try {
      if (root.isIndex()) {
        Map<CacheKey, CacheRecord> out = new LinkedHashMap<>();
        for (Descriptor d : ImageIndex.parse(root.bytes()).manifests()) {
          // attestation manifests carry unknown/unknown and no image config
          if (MediaTypes.isManifest(d.mediaType()) && (d.platform() == null || !"unknown".equals(d.platform().os()))) {
            FetchedManifest m = client.fetchManifest(ref.withDigest(d.digestValue()));
            out.putAll(records(client, ref, Manifest.parse(m.bytes())));
          }
        }
        return Optional.of(out);
      }
      Manifest m = Manifest.parse(root.bytes());
      if (m.config() != null && CacheExchange.CONFIG_TYPE.equals(m.config().mediaType())) {
        return Optional.empty();
      }
      return Optional.of(records(client, ref, m));
    } catch (InvalidDocumentException e) {
      throw new CorruptContentException("type=registry,ref=" + ref + ": " + e.getMessage());
    } catch (RegistryException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static Map<CacheKey, CacheRecord> records(RegistryClient client, ImageReference ref, Manifest m)
      throws RegistryException, InvalidDocumentException, CorruptContentException {
    byte[] config = client.fetchBlobBytes(ref, m.config().digestValue(), MAX_CONFIG_BYTES); // checked against its digest
    return InlineCache.decode(ImageConfig.parse(config), m, "type=registry,ref=" + ref);
  }
}
