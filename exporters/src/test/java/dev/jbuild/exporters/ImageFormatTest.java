package dev.jbuild.exporters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.ImageResult;
import dev.jbuild.oci.Layer;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.platform.Platform;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recompression, media types and annotations of the documents an image output writes. */
class ImageFormatTest {
  @TempDir Path dir;

  /** A layer as the solver stores it: a gzip tar (content need not be a real tar here). */
  private static Layer gzipLayer(ContentStore store, byte[] tar) throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(tar);
    }
    byte[] blob = gz.toByteArray();
    Digest d = store.put(blob);
    return new Layer(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d, blob.length), Digest.sha256(tar));
  }

  private static List<ImageResult> twoPlatforms(ContentStore store) throws Exception {
    List<ImageResult> results = new ArrayList<>();
    byte[] shared = new byte[200_000];
    new Random(1).nextBytes(shared);
    Layer base = gzipLayer(store, shared);
    for (Platform p : List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64)) {
      Layer own = gzipLayer(store, ("files for " + p + " ").repeat(1000).getBytes(StandardCharsets.UTF_8));
      ImageConfig config = new ImageConfig(null, null, p.architecture(), p.os(), p.indexVariant(), null,
          new ImageConfig.RootFs("layers", List.of(base.diffId().toString(), own.diffId().toString())), null);
      results.add(new ImageResult(p, List.of(base, own), config, Optional.empty()));
    }
    return results;
  }

  private static byte[] uncompressed(ContentStore store, Descriptor layer) throws Exception {
    Compression c = Compression.ofMediaType(layer.mediaType()).orElseThrow();
    try (InputStream in = c.decompress(store.open(layer.digestValue()))) {
      return in.readAllBytes();
    }
  }

  @Test
  void zstdAndUncompressedLayersKeepTheDiffIdsAndTheConfig() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    List<ImageResult> results = twoPlatforms(store);
    ImageSet gzip = ImageSet.of(results, store);
    for (Compression c : List.of(Compression.ZSTD, Compression.UNCOMPRESSED)) {
      ImageSet set = gzip.withFormat(new ImageFormat(c, OptionalInt.empty(), false, true, Annotations.NONE));
      assertNotEquals(gzip.root(), set.root());
      for (int i = 0; i < 2; i++) {
        ImageSet.PlatformImage img = set.images().get(i);
        assertEquals(gzip.images().get(i).config(), img.config(), "the config names diff ids, not blobs");
        Manifest m = Manifest.parse(store.readAll(img.manifest().digestValue()));
        assertEquals(img.layers(), m.layers());
        for (int l = 0; l < 2; l++) {
          Descriptor d = m.layers().get(l);
          assertEquals(c.layerMediaType(true), d.mediaType());
          assertEquals(results.get(i).layers().get(l).diffId(), Digest.sha256(uncompressed(store, d)));
        }
      }
      assertEquals(set.images().get(0).layers().get(0), set.images().get(1).layers().get(0),
          "a layer shared by both platforms is converted once");
    }
  }

  @Test
  void conversionIsDeterministicAndRemembered() throws Exception {
    ContentStore a = new ContentStore(dir.resolve("a"));
    ContentStore b = new ContentStore(dir.resolve("b"));
    ImageFormat zstd9 = new ImageFormat(Compression.ZSTD, OptionalInt.of(9), false, true, Annotations.NONE);
    ImageSet first = ImageSet.of(twoPlatforms(a), a, zstd9);
    ImageSet other = ImageSet.of(twoPlatforms(b), b, zstd9);
    assertEquals(first.root(), other.root(), "two stores give the same digests");
    Digest src = first.images().get(0).result().layers().get(0).digest();
    assertTrue(a.note(src, "as-zstd-9").isPresent(), "the conversion is noted on the source blob");
    assertEquals(first.root(), ImageSet.of(twoPlatforms(a), a, zstd9).root());
  }

  @Test
  void zstdOutputDoesNotDependOnTheNumberOfWorkers() throws Exception {
    byte[] data = new byte[3 << 20];
    new Random(7).nextBytes(data);
    for (int i = 0; i < data.length; i += 2) {
      data[i] = 'x'; // compressible, and large enough for several zstd jobs
    }
    List<byte[]> outputs = new ArrayList<>();
    for (int workers : new int[] {1, 2, 4}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (com.github.luben.zstd.ZstdOutputStream z = new com.github.luben.zstd.ZstdOutputStream(bytes, 3)) {
        z.setWorkers(workers);
        z.setJobSize(1 << 20);
        z.write(data);
      }
      outputs.add(bytes.toByteArray());
    }
    assertTrue(java.util.Arrays.equals(outputs.get(0), outputs.get(1)) && java.util.Arrays.equals(outputs.get(1), outputs.get(2)));
  }

  @Test
  void forcedGzipAtAnotherLevelRecompresses() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    ImageSet gzip = ImageSet.of(twoPlatforms(store), store);
    ImageSet same = gzip.withFormat(new ImageFormat(Compression.GZIP, OptionalInt.of(1), false, true, Annotations.NONE));
    assertEquals(gzip.images().get(0).layers(), same.images().get(0).layers(), "without force, gzip layers are kept");
    ImageSet forced = gzip.withFormat(new ImageFormat(Compression.GZIP, OptionalInt.of(1), true, true, Annotations.NONE));
    assertNotEquals(gzip.images().get(0).layers().get(0).digest(), forced.images().get(0).layers().get(0).digest());
  }

  @Test
  void dockerMediaTypesMakeAManifestList() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    ImageSet set = ImageSet.of(twoPlatforms(store), store, ImageFormat.DEFAULT.withOciMediaTypes(false));
    assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, set.root().mediaType());
    ImageIndex list = ImageIndex.parse(store.readAll(set.root().digestValue()));
    assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, list.mediaType());
    assertEquals("v8", list.manifests().get(1).platform().variant());
    Manifest m = Manifest.parse(store.readAll(list.manifests().get(0).digestValue()));
    assertEquals(MediaTypes.DOCKER_MANIFEST, m.mediaType());
    assertEquals(MediaTypes.DOCKER_CONFIG, m.config().mediaType());
    assertEquals(MediaTypes.DOCKER_LAYER_GZIP, m.layers().get(0).mediaType());
  }

  @Test
  void impossibleCombinationsAreRefusedWithTheReason() {
    IllegalArgumentException zstd = assertThrows(IllegalArgumentException.class,
        () -> new ImageFormat(Compression.ZSTD, OptionalInt.empty(), false, false, Annotations.NONE));
    assertTrue(zstd.getMessage().contains("oci-mediatypes=true"), zstd.getMessage());
    IllegalArgumentException level = assertThrows(IllegalArgumentException.class,
        () -> new ImageFormat(Compression.GZIP, OptionalInt.of(12), false, true, Annotations.NONE));
    assertEquals("compression-level=12 is out of range for gzip (0-9)", level.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Compression.parse("brotli"));
  }

  @Test
  void annotationsGoWhereTheirTypeSays() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    Annotations a = Annotations.parseFlags(List.of("org.example.plain=m", "index:org.example.i=I",
        "manifest[linux/arm64]:org.example.arm=only-arm", "manifest-descriptor:org.example.d=D",
        "index,manifest:org.example.both=B"))
        .plus(Annotations.fromAttributes(Map.of("annotation-index.org.example.attr=", "x",
            "annotation.org.example.viaattr", "v", "name", "ignored"), "-o type=image"));
    ImageSet set = ImageSet.of(twoPlatforms(store), store, ImageFormat.DEFAULT.withAnnotations(a));
    ImageIndex index = ImageIndex.parse(store.readAll(set.root().digestValue()));
    assertEquals(Map.of("org.example.i", "I", "org.example.both", "B", "org.example.attr=", "x"), index.annotations());
    Manifest amd = Manifest.parse(store.readAll(index.manifests().get(0).digestValue()));
    Manifest arm = Manifest.parse(store.readAll(index.manifests().get(1).digestValue()));
    assertEquals(Map.of("org.example.plain", "m", "org.example.both", "B", "org.example.viaattr", "v"), amd.annotations());
    assertEquals("only-arm", arm.annotations().get("org.example.arm"));
    assertEquals(Map.of("org.example.d", "D"), index.manifests().get(0).annotations());
  }

  @Test
  void badAnnotationsNameTheFlag() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Annotations.parseFlags(List.of("bogus:k=v")));
    assertTrue(e.getMessage().startsWith("--annotation bogus:k=v: unknown annotation type \"bogus\""), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Annotations.parseFlags(List.of("novalue")));
  }

  @Test
  void indexAnnotationsNeedSeveralPlatforms() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    List<ImageResult> one = twoPlatforms(store).subList(0, 1);
    ImageFormat f = ImageFormat.DEFAULT.withAnnotations(Annotations.parseFlags(List.of("index:k=v")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageSet.of(one, store, f));
    assertEquals("index annotations need an image index, but a single-platform build without attestations exports"
        + " a lone manifest", e.getMessage());
    // attested, one platform is an index (image, then its attestation manifest) that takes them
    dev.jbuild.exporters.attest.Attestor attestor = image -> List.of(new dev.jbuild.exporters.attest.Attestation(
        "https://example.com/p", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    ImageSet attested = ImageSet.of(one, store, f, attestor);
    assertTrue(attested.isIndex());
    ImageIndex index = ImageIndex.parse(store.readAll(attested.root().digestValue()));
    assertEquals(Map.of("k", "v"), index.annotations());
    assertEquals(2, index.manifests().size());
    assertEquals("attestation-manifest", index.manifests().get(1).annotations().get("vnd.docker.reference.type"));
  }
}
