package dev.jbuild.exporters.attest;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.platform.Platform;
import java.util.List;

/**
 * What an attestation is about: one platform's finished image.
 *
 * @param manifest the image manifest's descriptor (the statement's subject)
 * @param layers its layers, readable from {@code content}
 */
public record AttestedImage(Platform platform, Descriptor manifest, List<Descriptor> layers, ContentStore content) {
  public AttestedImage {
    layers = List.copyOf(layers);
  }
}
