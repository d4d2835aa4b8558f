package dev.jbuild.exporters;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.oci.PlatformSpec;
import dev.jbuild.solver.ImageResult;
import dev.jbuild.solver.Layer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built images as OCI documents: each platform's config and manifest (stored in the content
 * store), and the root — an index when there are several platforms, the manifest itself when
 * there is one (as buildx does without attestations). Every exporter writes these same bytes.
 */
public final class ImageSet {
  /** One platform's image. */
  public record PlatformImage(ImageResult result, Descriptor config, Descriptor manifest) {}

  private final ContentStore content;
  private final List<PlatformImage> images;
  private final Descriptor root;

  private ImageSet(ContentStore content, List<PlatformImage> images, Descriptor root) {
    this.content = content;
    this.images = List.copyOf(images);
    this.root = root;
  }

  public static ImageSet of(List<ImageResult> results, ContentStore content) throws IOException {
    List<PlatformImage> images = new ArrayList<>();
    for (ImageResult r : results) {
      byte[] configBytes = r.config().toBytes();
      Digest configDigest = content.put(configBytes);
      Descriptor config = Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length);
      List<Descriptor> layers = new ArrayList<>();
      for (Layer l : r.layers()) {
        layers.add(new Descriptor(ociLayerType(l.blob().mediaType()), l.blob().digest(), l.blob().size(), Map.of(), null));
      }
      byte[] manifestBytes = new Manifest(2, MediaTypes.OCI_MANIFEST, config, layers, Map.of()).toBytes();
      Digest manifestDigest = content.put(manifestBytes);
      Descriptor manifest = Descriptor.of(MediaTypes.OCI_MANIFEST, manifestDigest, manifestBytes.length)
          .withPlatform(PlatformSpec.of(r.platform()));
      images.add(new PlatformImage(r, config, manifest));
    }
    Descriptor root;
    if (images.size() == 1) {
      Descriptor m = images.get(0).manifest();
      root = new Descriptor(m.mediaType(), m.digest(), m.size(), Map.of(), null);
    } else {
      List<Descriptor> entries = images.stream().map(PlatformImage::manifest).toList();
      byte[] indexBytes = ImageIndex.of(entries).toBytes();
      root = Descriptor.of(MediaTypes.OCI_INDEX, content.put(indexBytes), indexBytes.length);
    }
    return new ImageSet(content, images, root);
  }

  /** Docker layer types are renamed to their OCI equivalents so an OCI manifest stays consistent. */
  private static String ociLayerType(String mediaType) {
    return MediaTypes.DOCKER_LAYER_GZIP.equals(mediaType) ? MediaTypes.OCI_LAYER_GZIP : mediaType;
  }

  public List<PlatformImage> images() {
    return images;
  }

  public Descriptor root() {
    return root;
  }

  public ContentStore content() {
    return content;
  }

  public boolean isIndex() {
    return MediaTypes.isIndex(root.mediaType());
  }
}
