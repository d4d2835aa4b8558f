package dev.jbuild.exporters;

import java.util.OptionalInt;

/**
 * How an image output encodes the built images: layer compression ({@code compression},
 * {@code compression-level}, {@code force-compression}), OCI or Docker schema 2 media types
 * ({@code oci-mediatypes}) and annotations. Equal formats give byte-identical documents.
 *
 * @param level empty for the compression's default level
 * @param force recompress layers already in the wanted compression (to apply {@code level})
 */
public record ImageFormat(Compression compression, OptionalInt level, boolean force, boolean ociMediaTypes,
                          Annotations annotations) {
  /** gzip at its default level, OCI media types, no annotations: what the solver stores. */
  public static final ImageFormat DEFAULT =
      new ImageFormat(Compression.GZIP, OptionalInt.empty(), false, true, Annotations.NONE);

  public ImageFormat {
    level.ifPresent(compression::checkLevel);
    if (!ociMediaTypes && !compression.hasDockerMediaType()) {
      throw new IllegalArgumentException("compression=" + compression.attributeValue()
          + " needs oci-mediatypes=true: Docker media types have no " + compression.attributeValue() + " layer type");
    }
    if (!ociMediaTypes && !annotations.isEmpty()) {
      throw new IllegalArgumentException("annotations need oci-mediatypes=true: Docker schema 2 manifests have none");
    }
  }

  public int effectiveLevel() {
    return level.orElse(compression.defaultLevel());
  }

  public ImageFormat withAnnotations(Annotations a) {
    return new ImageFormat(compression, level, force, ociMediaTypes, a);
  }

  public ImageFormat withOciMediaTypes(boolean oci) {
    return new ImageFormat(compression, level, force, oci, annotations);
  }
}
