package dev.jbuild.exporters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.cli.NativeLayerTars;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.ImageResult;
import dev.jbuild.oci.Layer;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.platform.Platform;
import dev.jbuild.progress.Progress;
import dev.jbuild.progress.ProgressListener;
import dev.jbuild.registry.ImageReference;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type=local} and {@code type=tar}: layers applied with whiteouts executed; one subdirectory per platform. */
class RootfsExporterTest {
  @TempDir Path dir;
  private final Progress progress = new Progress(ProgressListener.NONE);

  private record E(String name, String content, String link) {
    static E file(String n, String c) {
      return new E(n, c, null);
    }

    static E dir(String n) {
      return new E(n, null, null);
    }

    static E hardlink(String n, String target) {
      return new E(n, null, target);
    }
  }

  /** An uncompressed layer tar in the store. */
  private static Layer layer(ContentStore store, E... entries) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (E e : entries) {
        TarArchiveEntry t;
        if (e.link() != null) {
          t = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_LINK);
          t.setLinkName(e.link());
        } else if (e.content() == null) {
          t = new TarArchiveEntry(e.name() + "/", TarArchiveEntry.LF_DIR);
          t.setMode(040755);
        } else {
          t = new TarArchiveEntry(e.name());
          t.setMode(0100640);
          t.setSize(e.content().length());
        }
        t.setUserId(e.name().startsWith("owned") ? 1234 : 0);
        t.setGroupId(0);
        tar.putArchiveEntry(t);
        if (e.content() != null) {
          tar.write(e.content().getBytes(StandardCharsets.UTF_8));
        }
        tar.closeArchiveEntry();
      }
    }
    byte[] blob = bytes.toByteArray();
    Digest d = store.put(blob);
    return new Layer(Descriptor.of(MediaTypes.OCI_LAYER_TAR, d, blob.length), d);
  }

  private ImageSet images(ContentStore store, List<Platform> platforms) throws Exception {
    Layer lower = layer(store, E.dir("a"), E.file("a/x", "x"), E.file("a/y", "y"), E.file("b", "b"),
        E.dir("d"), E.file("d/old", "old"), E.dir("d/sub"), E.file("d/sub/deep", "deep"), E.file("owned", "o"));
    Layer upper = layer(store, E.file("a/.wh.x", ""), E.file(".wh.b", ""), E.dir("d"), E.file("d/new", "new"),
        E.file("d/.wh..wh..opq", ""), E.hardlink("a/y2", "a/y"));
    List<ImageResult> results = new ArrayList<>();
    for (Platform p : platforms) {
      ImageConfig config = new ImageConfig(null, null, p.architecture(), p.os(), null, null,
          new ImageConfig.RootFs("layers", List.of(lower.diffId().toString(), upper.diffId().toString())), null);
      results.add(new ImageResult(p, List.of(lower, upper), config, Optional.empty()));
    }
    return ImageSet.of(results, store);
  }

  private static TreeSet<String> tree(Path root) throws Exception {
    TreeSet<String> out = new TreeSet<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> !p.equals(root)).forEach(p -> out.add(root.relativize(p).toString()));
    }
    return out;
  }

  @Test
  void appliesWhiteoutsOpaqueDirectoriesAndHardlinks() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    Path out = dir.resolve("out");
    ExportResult r = new RootfsExporter(out, RootfsExporter.Kind.LOCAL, new NativeLayerTars())
        .export(images(store, List.of(Platform.LINUX_AMD64)), progress);
    assertTrue(r.root().isEmpty());
    assertEquals(new TreeSet<>(List.of("a", "a/y", "a/y2", "d", "d/new", "owned")), tree(out));
    assertEquals(Files.readAttributes(out.resolve("a/y"), "unix:ino").get("ino"),
        Files.readAttributes(out.resolve("a/y2"), "unix:ino").get("ino"), "a hardlink stays one file");
    assertEquals(0640, (Integer) Files.getAttribute(out.resolve("a/y"), "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777);
    if ("root".equals(System.getProperty("user.name"))) {
      assertEquals(1234, Files.getAttribute(out.resolve("owned"), "unix:uid"));
    }
  }

  @Test
  void severalPlatformsGetOneDirectoryEachAndTheTarHoldsTheSame() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    ImageSet set = images(store, List.of(Platform.LINUX_AMD64, Platform.parse("linux/arm/v7")));
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("keep.txt"), "a file of the user's");
    new RootfsExporter(out, RootfsExporter.Kind.LOCAL, new NativeLayerTars()).export(set, progress);
    assertTrue(tree(out).containsAll(List.of("keep.txt", "linux_amd64/d/new", "linux_arm_v7/a/y2")), tree(out).toString());

    Path tar = dir.resolve("rootfs.tar");
    new RootfsExporter(tar, RootfsExporter.Kind.TAR, new NativeLayerTars()).export(set, progress);
    TreeSet<String> names = new TreeSet<>();
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = t.getNextEntry()) != null) {
        names.add(e.getName().replaceAll("/$", ""));
      }
    }
    TreeSet<String> expected = tree(out);
    expected.remove("keep.txt");
    assertEquals(expected, names);
    try (Stream<Path> s = Files.list(dir)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary files are left");
    }
  }

  @Test
  void aDockerArchiveOfSeveralPlatformsIsRefusedWithAPointerToOci() throws Exception {
    ContentStore store = new ContentStore(dir.resolve("store"));
    ImageSet set = images(store, List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64));
    Path tar = dir.resolve("d.tar");
    ExportException e = assertThrows(ExportException.class, () -> new DockerArchiveExporter(tar,
        List.of(ImageReference.parse("app")), ImageFormat.DEFAULT.withOciMediaTypes(false), Optional.empty())
        .export(set, progress));
    assertTrue(e.getMessage().contains("type=oci"), e.getMessage());
    assertFalse(Files.exists(tar));
  }

  @Test
  void familiarNamesAreWhatDockerShows() {
    assertEquals("app:latest", DockerArchiveExporter.familiar(ImageReference.parse("app")));
    assertEquals("user/app:1", DockerArchiveExporter.familiar(ImageReference.parse("docker.io/user/app:1")));
    assertEquals("127.0.0.1:5000/a/b:2", DockerArchiveExporter.familiar(ImageReference.parse("127.0.0.1:5000/a/b:2")));
  }
}
