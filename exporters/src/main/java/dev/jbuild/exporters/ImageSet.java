package dev.jbuild.exporters;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.exporters.attest.Attestor;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.ImageResult;
import dev.jbuild.oci.Layer;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.oci.PlatformSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built images as OCI (or Docker schema 2) documents in one {@link ImageFormat}: each
 * platform's config and manifest (stored in the content store), and the root — an index when
 * there are several platforms, the manifest itself when there is one (as buildx does without
 * attestations). Every exporter of the same format writes these same bytes.
 */
public final class ImageSet {
  /**
   * One platform's image.
   *
   * @param layers the layer descriptors exactly as in the manifest
   * @param manifest its descriptor as in the index (with platform)
   */
  public record PlatformImage(ImageResult result, Descriptor config, List<Descriptor> layers, Descriptor manifest) {
    public PlatformImage {
      layers = List.copyOf(layers);
    }
  }

  /** The documents of one format, made when first asked for (making them may compress layers). */
  private record Documents(List<PlatformImage> images, List<AttestationManifests.Entry> attestations, Descriptor root) {}

  private final ContentStore content;
  private final List<ImageResult> results;
  private final ImageFormat format;
  private final Attestor attestor;
  private Documents documents;

  private ImageSet(ContentStore content, List<ImageResult> results, ImageFormat format, Attestor attestor,
                   Documents documents) {
    this.content = content;
    this.results = List.copyOf(results);
    this.format = format;
    this.attestor = attestor;
    this.documents = documents;
  }

  /**
   * The images in the default format (gzip layers, OCI media types), made lazily: the solver keeps
   * its layers uncompressed, so nothing is compressed until an export (or a digest) needs it, and
   * an export in another format ({@link #withFormat}) never goes through gzip at all.
   */
  public static ImageSet of(List<ImageResult> results, ContentStore content) {
    return of(results, content, Attestor.NONE);
  }

  /** As {@link #of(List, ContentStore)}, with attestations made (lazily, too) by {@code attestor}. */
  public static ImageSet of(List<ImageResult> results, ContentStore content, Attestor attestor) {
    return new ImageSet(content, results, ImageFormat.DEFAULT, attestor, null);
  }

  /** Whether the documents (and the compressed layers they name) exist yet. */
  synchronized boolean isMade() {
    return documents != null;
  }

  /** This set with its documents made now, compressing (in parallel) the layers that need it. */
  public synchronized ImageSet made() throws IOException, InterruptedException {
    if (documents == null) {
      documents = make(results, content, format, attestor);
    }
    return this;
  }

  private Documents documents() {
    try {
      return made().documents;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
    }
  }

  /** The built images, in order; known without making the documents. */
  public List<ImageResult> results() {
    return results;
  }

  /** The platforms built, in order; known without making the documents. */
  public List<dev.jbuild.platform.Platform> platforms() {
    return results.stream().map(ImageResult::platform).toList();
  }

  /** The images in {@code format}, recompressing layers (in parallel) where it asks for another compression. */
  public static ImageSet of(List<ImageResult> results, ContentStore content, ImageFormat format)
      throws IOException, InterruptedException {
    return of(results, content, format, Attestor.NONE);
  }

  /**
   * The images in {@code format} with what {@code attestor} says about each attached as
   * BuildKit does: an attestation manifest per platform in the index (which is then an index even
   * for one platform).
   */
  public static ImageSet of(List<ImageResult> results, ContentStore content, ImageFormat format, Attestor attestor)
      throws IOException, InterruptedException {
    return new ImageSet(content, results, format, attestor, make(results, content, format, attestor));
  }

  private static Documents make(List<ImageResult> results, ContentStore content, ImageFormat format, Attestor attestor)
      throws IOException, InterruptedException {
    boolean oci = format.ociMediaTypes();
    List<Layer> allLayers = results.stream().flatMap(r -> r.layers().stream()).toList();
    Map<Digest, Descriptor> blobs = new LayerConverter(content).convertAll(allLayers, format);
    List<PlatformImage> images = new ArrayList<>();
    for (ImageResult r : results) {
      byte[] configBytes = r.config().toBytes();
      Digest configDigest = content.put(configBytes);
      Descriptor config = Descriptor.of(oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG, configDigest,
          configBytes.length);
      List<Descriptor> layers = new ArrayList<>();
      for (Layer l : r.layers()) {
        Descriptor b = blobs.get(l.digest());
        String type = Compression.ofMediaType(b.mediaType()).orElseThrow().layerMediaType(oci);
        layers.add(new Descriptor(type, b.digest(), b.size(), Map.of(), null));
      }
      Optional<dev.jbuild.platform.Platform> platform = Optional.of(r.platform());
      String manifestType = oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST;
      byte[] manifestBytes = new Manifest(2, manifestType, config, layers,
          format.annotations().forTarget(Annotations.Target.MANIFEST, platform)).toBytes();
      Digest manifestDigest = content.put(manifestBytes);
      Descriptor manifest = Descriptor.of(manifestType, manifestDigest, manifestBytes.length)
          .withPlatform(PlatformSpec.of(r.platform()))
          .withAnnotations(format.annotations().forTarget(Annotations.Target.MANIFEST_DESCRIPTOR, platform));
      images.add(new PlatformImage(r, config, layers, manifest));
    }
    List<AttestationManifests.Entry> attestations = attestor == Attestor.NONE ? List.of()
        : AttestationManifests.create(images, content, format, attestor);
    if (images.size() == 1 && attestations.isEmpty() && format.annotations().has(Annotations.Target.INDEX)) {
      // with attestations even one platform is an index, so only a lone manifest refuses them
      throw new IllegalArgumentException("index annotations need an image index, but a single-platform build"
          + " without attestations exports a lone manifest");
    }
    Descriptor root;
    if (images.size() == 1 && attestations.isEmpty()) {
      Descriptor m = images.get(0).manifest();
      root = new Descriptor(m.mediaType(), m.digest(), m.size(), Map.of(), null);
    } else {
      List<Descriptor> entries = new ArrayList<>(images.stream().map(PlatformImage::manifest).toList());
      attestations.forEach(a -> entries.add(a.manifest()));
      String indexType = oci ? MediaTypes.OCI_INDEX : MediaTypes.DOCKER_MANIFEST_LIST;
      byte[] indexBytes = new ImageIndex(2, indexType, entries,
          format.annotations().forTarget(Annotations.Target.INDEX, Optional.empty())).toBytes();
      root = Descriptor.of(indexType, content.put(indexBytes), indexBytes.length);
    }
    return new Documents(List.copyOf(images), List.copyOf(attestations), root);
  }

  /** These images in another format (attestations made again for the new digests); this set itself if the format is the same. */
  public ImageSet withFormat(ImageFormat other) throws IOException, InterruptedException {
    return other.equals(format) ? this : of(results, content, other, attestor);
  }

  /** The attestation manifests, one per platform that has attestations, in platform order. */
  public List<AttestationManifests.Entry> attestations() {
    return documents().attestations();
  }

  public ImageFormat format() {
    return format;
  }

  public List<PlatformImage> images() {
    return documents().images();
  }

  public Descriptor root() {
    return documents().root();
  }

  public ContentStore content() {
    return content;
  }

  public boolean isIndex() {
    return MediaTypes.isIndex(root().mediaType());
  }

  /** The config digest when the root is a single manifest (buildx's {@code containerimage.config.digest}). */
  public Optional<Digest> singleConfigDigest() {
    return isIndex() ? Optional.empty() : Optional.of(images().get(0).config().digestValue());
  }

  /** Every blob once: root first, then per platform its manifest, config and layers. */
  public List<Digest> blobs() {
    java.util.LinkedHashSet<Digest> out = new java.util.LinkedHashSet<>();
    out.add(root().digestValue());
    for (PlatformImage img : images()) {
      out.add(img.manifest().digestValue());
      out.add(img.config().digestValue());
      img.layers().forEach(l -> out.add(l.digestValue()));
    }
    for (AttestationManifests.Entry a : attestations()) {
      out.add(a.manifest().digestValue());
      out.add(a.config().digestValue());
      a.layers().forEach(l -> out.add(l.digestValue()));
    }
    return List.copyOf(out);
  }
}
