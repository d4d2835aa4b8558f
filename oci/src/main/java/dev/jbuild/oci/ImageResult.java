package dev.jbuild.oci;

import dev.jbuild.platform.Platform;
import java.util.List;
import java.util.Optional;

/**
 * A built image for one platform, ready for an exporter: its layers (blobs in the content
 * store) and its final config.
 *
 * @param baseRepository where the base layers came from ({@code registry/repo}), so exporters
 *     can mount them across repositories instead of uploading them again
 */
public record ImageResult(Platform platform, List<Layer> layers, ImageConfig config, Optional<String> baseRepository) {
  public ImageResult {
    layers = List.copyOf(layers);
  }
}
