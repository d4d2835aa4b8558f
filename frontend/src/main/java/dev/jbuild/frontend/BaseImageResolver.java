package dev.jbuild.frontend;

import dev.jbuild.platform.Platform;
import dev.jbuild.registry.RegistryException;
import dev.jbuild.registry.ResolvedImage;

/** Resolves FROM references to pinned manifests and configs (BuildKit's ResolveImageConfig). */
@FunctionalInterface
public interface BaseImageResolver {
  ResolvedImage resolve(String reference, Platform platform) throws RegistryException;
}
