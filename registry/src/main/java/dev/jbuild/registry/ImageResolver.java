package dev.jbuild.registry;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.InvalidDocumentException;
import dev.jbuild.oci.Manifest;
import dev.jbuild.platform.Platform;
import dev.jbuild.registry.RegistryException.Kind;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Resolves an image reference for a platform: an index to its matching manifest (see
 * {@link PlatformMatcher}), or a single-platform manifest whose config must be for that platform.
 * Fetches the manifest and config; layers are left to the caller.
 *
 * <p>With a {@link ResolvedImageCache}, a tag is resolved once and then reused until a resolver
 * with {@code pull} (the CLI's {@code --pull}) resolves it again — Docker's behaviour with a local
 * image. A reference pinned by digest never changes, so it is always taken from the cache.
 */
public final class ImageResolver {
  /** Configs are small; anything this large is not one. */
  static final long MAX_CONFIG_BYTES = 16 << 20;

  private final RegistryClient client;
  private final Optional<ResolvedImageCache> cache;
  private final boolean pull;

  public ImageResolver(RegistryClient client) {
    this(client, Optional.empty(), true);
  }

  /** @param pull resolve tags against the registry even when the cache knows them */
  public ImageResolver(RegistryClient client, Optional<ResolvedImageCache> cache, boolean pull) {
    this.client = Objects.requireNonNull(client, "client");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.pull = pull;
  }

  public ResolvedImage resolve(ImageReference ref, Platform platform) throws RegistryException {
    if (cache.isPresent() && (!pull || ref.digest().isPresent())) {
      Optional<ResolvedImage> known = cache.get().get(ref, platform);
      if (known.isPresent()) {
        return known.get();
      }
    }
    ResolvedImage resolved = resolveFromRegistry(ref, platform);
    cache.ifPresent(c -> c.put(ref, platform, resolved));
    return resolved;
  }

  private ResolvedImage resolveFromRegistry(ImageReference ref, Platform platform) throws RegistryException {
    FetchedManifest top = client.fetchManifest(ref);
    FetchedManifest manifest = top;
    if (top.isIndex()) {
      ImageIndex index = parse(ref, () -> ImageIndex.parse(top.bytes()));
      Descriptor chosen = PlatformMatcher.select(index.manifests(), platform)
          .orElseThrow(() -> noSuchPlatform(ref, platform, available(index.manifests())));
      ImageReference pinned = ref.pinned(parse(ref, () -> digestOf(chosen)));
      manifest = client.fetchManifest(pinned);
      if (manifest.isIndex()) {
        throw new RegistryException(Kind.INVALID_CONTENT, ref + ": the " + platform
            + " entry of the index is itself an index, which jbuild does not resolve");
      }
    }
    FetchedManifest fetched = manifest;
    Manifest parsed = parse(ref, () -> Manifest.parse(fetched.bytes()));
    Digest configDigest = parse(ref, () -> digestOf(parsed.config()));
    byte[] configBytes = client.fetchBlobBytes(ref, configDigest, MAX_CONFIG_BYTES);
    ImageConfig config = parse(ref, () -> ImageConfig.parse(configBytes));
    if (!top.isIndex() && config.architecture() != null && !config.architecture().isEmpty()) {
      Platform offered = Platform.normalise(config.os() == null ? "linux" : config.os(), config.architecture(), config.variant());
      if (!PlatformMatcher.matches(offered, platform)) {
        throw noSuchPlatform(ref, platform, offered.toString());
      }
    }
    return new ResolvedImage(ref.pinned(fetched.digest()), fetched.digest(), fetched, parsed, configBytes, config);
  }

  private static Digest digestOf(Descriptor d) throws InvalidDocumentException {
    try {
      return d.digestValue();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidDocumentException("bad digest in descriptor: " + d.digest(), e);
    }
  }

  private static String available(List<Descriptor> entries) {
    TreeSet<String> names = new TreeSet<>();
    for (Descriptor d : entries) {
      // attestation manifests carry unknown/unknown: not a platform anyone can ask for
      if (d.platform() != null && !"unknown".equals(d.platform().os())) {
        names.add(PlatformMatcher.describe(d.platform()));
      }
    }
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  private static RegistryException noSuchPlatform(ImageReference ref, Platform platform, String available) {
    return new RegistryException(Kind.NO_MATCHING_PLATFORM,
        ref + " has no " + platform + " image (available: " + available + ")");
  }

  @FunctionalInterface
  private interface Parse<T> {
    T run() throws InvalidDocumentException;
  }

  private static <T> T parse(ImageReference ref, Parse<T> p) throws RegistryException {
    try {
      return p.run();
    } catch (InvalidDocumentException e) {
      throw new RegistryException(Kind.INVALID_CONTENT, ref + ": " + e.getMessage(), e);
    }
  }
}
