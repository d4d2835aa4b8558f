package dev.jbuild.exporters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.ImageResult;
import dev.jbuild.oci.Layer;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.platform.Platform;
import dev.jbuild.progress.Progress;
import dev.jbuild.progress.ProgressListener;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCI archive layout, its determinism and its all-or-nothing write, on a synthetic image set. */
class OciLayoutExporterTest {
  @TempDir Path dir;

  private ImageSet images(ContentStore store) throws Exception {
    List<ImageResult> results = new ArrayList<>();
    for (Platform p : List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64)) {
      byte[] layer = ("layer for " + p).getBytes(StandardCharsets.UTF_8);
      Digest d = store.put(layer);
      ImageConfig config = new ImageConfig(null, null, p.architecture(), p.os(), p.indexVariant(), null,
          new ImageConfig.RootFs("layers", List.of(d.toString())), null);
      results.add(new ImageResult(p, List.of(new Layer(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d, layer.length), d)),
          config, Optional.empty()));
    }
    return ImageSet.of(results, store);
  }

  private static List<String> entries(Path tar) throws Exception {
    List<String> names = new ArrayList<>();
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = t.getNextEntry()) != null) {
        names.add(e.getName());
        assertEquals(0, e.getModTime().getTime(), "fixed entry times");
      }
    }
    return names;
  }

  @Test
  void writesALayoutWithTheIndexNamedOncePerTag() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    ImageSet set = images(store);
    assertTrue(set.isIndex());
    Path out = dir.resolve("out.tar");
    ExportResult r = new OciLayoutExporter(out, true, List.of("docker.io/library/app:1", "docker.io/library/app:latest"),
        ImageFormat.DEFAULT, Optional.empty()).export(set, new Progress(ProgressListener.NONE));
    assertEquals(Optional.of(set.root()), r.root());
    List<String> names = entries(out);
    assertEquals(List.of("oci-layout", "index.json", "blobs/", "blobs/sha256/"), names.subList(0, 4));
    // root index, 2 manifests, 2 configs, 2 layers
    assertEquals(4 + 7, names.size(), names.toString());
    assertTrue(names.contains("blobs/sha256/" + set.root().digestValue().hex()));
  }

  @Test
  void twoExportsAreByteIdentical() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    ImageSet set = images(store);
    Path a = dir.resolve("a.tar");
    Path b = dir.resolve("b.tar");
    new OciLayoutExporter(a, true, List.of(), ImageFormat.DEFAULT, Optional.empty()).export(set, new Progress(ProgressListener.NONE));
    new OciLayoutExporter(b, true, List.of(), ImageFormat.DEFAULT, Optional.empty()).export(set, new Progress(ProgressListener.NONE));
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }

  @Test
  void aFailedExportLeavesNoFileBehind() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    ImageSet set = images(store);
    // a blob vanishes from the store between build and export
    Files.delete(store.path(set.images().get(1).result().layers().get(0).digest()));
    Path out = dir.resolve("out/broken.tar");
    ExportException e = assertThrows(ExportException.class, () ->
        new OciLayoutExporter(out, true, List.of(), ImageFormat.DEFAULT, Optional.empty()).export(set, new Progress(ProgressListener.NONE)));
    assertTrue(e.getMessage().startsWith("writing " + out), e.getMessage());
    assertFalse(Files.exists(out));
    try (Stream<Path> s = Files.list(out.getParent())) {
      assertEquals(0, s.count(), "no temp file is left");
    }
  }

  @Test
  void aSinglePlatformRootIsTheManifest() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    ImageSet two = images(store);
    ImageSet one = ImageSet.of(List.of(two.images().get(0).result()), store);
    assertFalse(one.isIndex());
    assertEquals(MediaTypes.OCI_MANIFEST, one.root().mediaType());
    assertEquals(null, one.root().platform());
  }
}
