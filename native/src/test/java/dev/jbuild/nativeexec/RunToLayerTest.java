package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.BaseImages;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole RUN path on real parts: layers unpacked as overlay lowers, a command run by runc,
 * the upper dir written as a layer, and that layer checked by GNU tar, umoci and a second mount.
 */
class RunToLayerTest {
  static final Instant EPOCH = Instant.parse("2020-01-01T00:00:00Z");
  /** Writes, deletes (a whiteout), replaces a directory (opaque), chmods, hardlinks and symlinks. */
  static final String SCRIPT = "set -e; echo new > /data/new; rm /data/gone; rm -rf /olddir; mkdir /olddir;"
      + " echo c > /olddir/c; chmod 4755 /data/keep; ln /data/new /data/new-link; ln -s new /data/sym";
  static final List<String> EXPECTED_ENTRIES = List.of("data", "data/.wh.gone", "data/keep", "data/new",
      "data/new-link", "data/sym", "olddir", "olddir/.wh..wh..opq", "olddir/c");

  @TempDir
  static Path shared;
  static Path busybox;
  static Path app;

  @TempDir
  Path tmp;
  final List<MountedRoot> mounted = new ArrayList<>();

  @BeforeAll
  static void lowers() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireProgram("runc", "runc");
    busybox = Fixtures.busyboxLower(Platform.LINUX_AMD64, shared);
    app = Fixtures.lowerFrom(new TarBuilder()
        .dir("data", 0755).file("data/keep", 0644, "k").file("data/gone", 0644, "g")
        .dir("olddir", 0755).file("olddir/a", 0644, "a").dir("olddir/sub", 0700).file("olddir/sub/b", 0600, "b")
        .build(), shared.resolve("app"));
  }

  @AfterEach
  void unmount() throws IOException {
    for (MountedRoot m : mounted) {
      m.close();
    }
  }

  record Outcome(MountedRoot root, Path upper, ExecResult result) {}

  Outcome run(Snapshotter snapshotter, String runtime, String script) throws Exception {
    Path d = Files.createTempDirectory(tmp, "snap");
    Path upper = Files.createDirectory(d.resolve("upper"));
    MountedRoot root = snapshotter.mount(List.of(app, busybox), upper, Files.createDirectory(d.resolve("work")),
        Files.createDirectory(d.resolve("rootfs")));
    mounted.add(root);
    Runs r = new Runs();
    ExecResult res = OciRuntimeExecutor.detect(Optional.of(runtime)).run(r.shell(root.path(), script));
    assertEquals(0, res.exitCode(), r.err());
    return new Outcome(root, upper, res);
  }

  byte[] layer(Outcome o, Optional<Instant> epoch) throws Exception {
    return Fixtures.layerOf(o.upper(), o.result().createdPaths(), epoch);
  }

  @Test
  void aRunBecomesExactlyTheExpectedLayerAndTheSameBytesTwice() throws Exception {
    Outcome first = run(new OverlaySnapshotter(), "runc", SCRIPT);
    first.root().close();
    assertEquals(Set.of("etc", "etc/resolv.conf", "etc/hosts"), first.result().createdPaths());
    byte[] layer = layer(first, Optional.of(EPOCH));
    assertEquals(EXPECTED_ENTRIES, Fixtures.entries(layer));

    Outcome second = run(new OverlaySnapshotter(), "crun", SCRIPT);
    second.root().close();
    assertArrayEquals(layer, layer(second, Optional.of(EPOCH)), "same RUN, same layer bytes (runc vs crun)");

    List<String> listing = Fixtures.gnuTarListing(layer, tmp);
    assertEquals(EXPECTED_ENTRIES.size(), listing.size(), String.join("\n", listing));
    assertTrue(listing.get(2).startsWith("-rwsr-xr-x 0/0 "), listing.get(2));
    assertTrue(listing.get(4).endsWith("data/new-link link to data/new"), listing.get(4));
    assertTrue(listing.get(5).endsWith("data/sym -> new"), listing.get(5));
    for (String line : listing) {
      assertTrue(line.contains(" 2020-01-01 00:00:00 "), "clamped to SOURCE_DATE_EPOCH: " + line);
    }
  }

  @Test
  void theLayerReproducesTheMergedViewWhenMountedAgain() throws Exception {
    Outcome o = run(new OverlaySnapshotter(), "runc", SCRIPT);
    TreeMap<String, String> expected = withoutExecutorPaths(Fixtures.describe(o.root().path()), o.result());
    o.root().close();
    byte[] layer = layer(o, Optional.empty());

    Path unpacked = Fixtures.lowerFrom(layer, tmp.resolve("unpacked"));
    Path d = Files.createTempDirectory(tmp, "again");
    MountedRoot again = new OverlaySnapshotter().mount(List.of(unpacked, app, busybox),
        Files.createDirectory(d.resolve("upper")), Files.createDirectory(d.resolve("work")),
        Files.createDirectory(d.resolve("rootfs")));
    mounted.add(again);
    assertEquals(expected, Fixtures.describe(again.path()));
  }

  @Test
  void umociUnpacksTheSameFileSystem() throws Exception {
    Prerequisites.requireProgram("umoci", "umoci");
    Outcome o = run(new OverlaySnapshotter(), "runc", SCRIPT);
    TreeMap<String, String> expected = withoutExecutorPaths(Fixtures.describe(o.root().path()), o.result());
    o.root().close();
    byte[] layer = layer(o, Optional.empty());

    byte[] appLayer = Fixtures.layerOf(app, Set.of(), Optional.empty());
    byte[] base;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(BaseImages.layer(Platform.LINUX_AMD64)))) {
      base = in.readAllBytes();
    }
    Path layout = OciLayouts.write(tmp.resolve("layout"), "test", List.of(base, appLayer, layer));
    Path bundle = tmp.resolve("bundle");
    Processes.run(List.of("umoci", "unpack", "--image", layout + ":test", bundle.toString())).assertSuccess();
    assertEquals(expected, Fixtures.describe(bundle.resolve("rootfs")));
  }

  @Test
  void theCopyingFallbackProducesTheSameLayer() throws Exception {
    Outcome overlay = run(new OverlaySnapshotter(), "runc", SCRIPT);
    overlay.root().close();
    Outcome copy = run(new CopyingSnapshotter(), "runc", SCRIPT);
    copy.root().close();
    byte[] expected = layer(overlay, Optional.of(EPOCH));
    assertEquals(Fixtures.entries(expected), Fixtures.entries(layer(copy, Optional.of(EPOCH))));
    assertArrayEquals(expected, layer(copy, Optional.of(EPOCH)));
  }

  private static TreeMap<String, String> withoutExecutorPaths(TreeMap<String, String> tree, ExecResult result) {
    tree.keySet().removeIf(p -> result.createdPaths().contains(p) && !p.equals("etc"));
    return tree;
  }
}
