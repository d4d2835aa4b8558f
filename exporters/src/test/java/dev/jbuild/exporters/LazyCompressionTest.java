package dev.jbuild.exporters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.ImageResult;
import dev.jbuild.oci.Layer;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.platform.Platform;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The solver's layers stay uncompressed tars; only an export that needs gzip makes it, once. */
class LazyCompressionTest {
  @TempDir Path dir;

  private final byte[] ownTar = "own layer bytes ".repeat(5000).getBytes(StandardCharsets.UTF_8);
  private final byte[] baseTar = "base layer bytes ".repeat(5000).getBytes(StandardCharsets.UTF_8);

  /** A pulled base layer (gzip, as registries serve it) under a built one (uncompressed, as the solver writes it). */
  private List<ImageResult> image(ContentStore store) throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(baseTar);
    }
    Digest baseBlob = store.put(gz.toByteArray());
    Layer base = new Layer(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, baseBlob, gz.size()), Digest.sha256(baseTar));
    Digest own = store.put(ownTar);
    Layer built = new Layer(Descriptor.of(MediaTypes.OCI_LAYER_TAR, own, ownTar.length), own);
    ImageConfig config = new ImageConfig(null, null, "amd64", "linux", null, null,
        new ImageConfig.RootFs("layers", List.of(base.diffId().toString(), own.toString())), null);
    return List.of(new ImageResult(Platform.LINUX_AMD64, List.of(base, built), config, Optional.empty()));
  }

  private Set<String> blobs() throws Exception {
    try (Stream<Path> s = Files.walk(dir.resolve("store"))) {
      return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}"))
          .map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static boolean isGzip(Path blob) throws Exception {
    byte[] head = new byte[2];
    try (InputStream in = Files.newInputStream(blob)) {
      return in.read(head) == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }
  }

  @Test
  void noOutputCompressesNothing() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    List<ImageResult> results = image(store);
    Set<String> before = blobs();
    ImageSet set = ImageSet.of(results, store);
    assertEquals(1, set.platforms().size());
    assertEquals(before, blobs(), "a set nobody exports writes no blob");
  }

  @Test
  void gzipIsMadeOnceKeepsTheBaseBlobAndIsReusedByTheNextExport() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    List<ImageResult> results = image(store);
    ImageSet first = ImageSet.of(results, store).made();
    List<Descriptor> layers = first.images().get(0).layers();
    assertEquals(results.get(0).layers().get(0).blob().digest(), layers.get(0).digest(), "the base keeps its gzip blob");
    assertEquals(MediaTypes.OCI_LAYER_GZIP, layers.get(1).mediaType());
    try (InputStream in = new GZIPInputStream(store.open(layers.get(1).digestValue()))) {
      assertArrayEquals(ownTar, in.readAllBytes());
    }
    Set<String> afterFirst = blobs();
    ImageSet second = ImageSet.of(results, store).made();
    assertEquals(first.root(), second.root(), "same bytes, same digests");
    assertEquals(afterFirst, blobs(), "the second export compresses nothing again");
  }

  @Test
  void aZstdExportNeverGoesThroughGzip() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    List<ImageResult> results = image(store);
    Set<String> before = blobs();
    ImageSet zstd = ImageSet.of(results, store)
        .withFormat(new ImageFormat(Compression.ZSTD, OptionalInt.empty(), false, true, Annotations.NONE));
    assertEquals(MediaTypes.OCI_LAYER_ZSTD, zstd.images().get(0).layers().get(1).mediaType());
    for (String b : blobs()) {
      if (!before.contains(b)) {
        assertFalse(isGzip(store.path(Digest.parse("sha256:" + b))), "new blob " + b + " is gzip");
      }
    }
  }
}
