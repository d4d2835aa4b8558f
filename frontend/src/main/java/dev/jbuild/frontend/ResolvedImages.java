package dev.jbuild.frontend;

import dev.jbuild.platform.Platform;
import dev.jbuild.registry.RegistryException;
import dev.jbuild.registry.ResolvedImage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Base images resolved once per reference and platform, shared by all stages and platforms of a plan. */
final class ResolvedImages {
  private final BaseImageResolver resolver;
  private final Map<String, ResolvedImage> resolved = new ConcurrentHashMap<>();

  ResolvedImages(BaseImageResolver resolver) {
    this.resolver = resolver;
  }

  ResolvedImage resolve(String ref, Platform platform) throws RegistryException {
    String key = ref + "|" + platform;
    ResolvedImage r = resolved.get(key);
    if (r == null) {
      r = resolver.resolve(ref, platform);
      resolved.put(key, r);
    }
    return r;
  }
}
