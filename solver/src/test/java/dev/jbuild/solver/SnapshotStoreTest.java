package dev.jbuild.solver;

import dev.jbuild.cache.ContentStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.nativeexec.Snapshotter;
import dev.jbuild.oci.Layer;
import dev.jbuild.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SnapshotStore on real overlayfs: concurrent first use, identical diffs in one chain, cleanup. */
class SnapshotStoreTest {
  @TempDir Path root;

  @BeforeAll
  static void root() {
    Prerequisites.requireRoot();
  }

  private SnapshotStore store() throws Exception {
    return store(root);
  }

  private static SnapshotStore store(Path dir) throws Exception {
    return new SnapshotStore(dir, new ContentStore(dir), Snapshotter.detect(dir), Optional.empty());
  }

  @Test
  void concurrentFirstUsesShareTheScaffold() throws Exception {
    for (int round = 0; round < 10; round++) {
      concurrentFirstUses(Files.createDirectory(root.resolve("round" + round)));
    }
  }

  private static void concurrentFirstUses(Path dir) throws Exception {
    try (SnapshotStore store = store(dir)) {
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<FsState>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        runs.add(CompletableFuture.supplyAsync(() -> {
          try {
            start.await();
            return store.mutate(FsState.EMPTY, true, r -> {
              assertTrue(Files.isDirectory(r.resolve("proc")), "mount points come from the scaffold");
              return Set.of();
            });
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        }));
      }
      start.countDown();
      for (CompletableFuture<FsState> f : runs) {
        FsState s = f.join();
        assertEquals(List.of("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"),
            s.layers().stream().map(l -> l.diffId().toString()).toList(),
            "the scaffold never leaks into a layer: the step's layer is the empty tar");
      }
    }
  }

  @Test
  void layersAreStoredUncompressedUntilAnExportAsks() throws Exception {
    try (SnapshotStore store = store()) {
      FsState one = store.mutate(FsState.EMPTY, false, r -> {
        Files.writeString(r.resolve("f"), "content");
        return Set.of();
      });
      Layer layer = one.layers().get(0);
      assertEquals(dev.jbuild.oci.MediaTypes.OCI_LAYER_TAR, layer.blob().mediaType());
      assertEquals(layer.diffId(), layer.digest(), "an uncompressed blob is its own diff id");
      byte[] tar = new ContentStore(root).readAll(layer.digest());
      assertEquals(layer.blob().size(), tar.length);
      assertEquals("f", new String(tar, 0, 1, java.nio.charset.StandardCharsets.US_ASCII), "a tar, first entry f");
    }
  }

  @Test
  void aChainMayRepeatTheSameDiff() throws Exception {
    try (SnapshotStore store = store()) {
      SnapshotStore.Mutation writeFile = r -> {
        Files.writeString(r.resolve("f"), "same");
        Files.setLastModifiedTime(r.resolve("f"), java.nio.file.attribute.FileTime.fromMillis(0));
        Files.setLastModifiedTime(r, java.nio.file.attribute.FileTime.fromMillis(0));
        return Set.of();
      };
      FsState one = store.mutate(FsState.EMPTY, false, writeFile);
      FsState two = store.mutate(one, false, r -> {
        Files.delete(r.resolve("f"));
        return Set.of();
      });
      FsState three = store.mutate(two, false, writeFile);
      assertEquals(one.layers().get(0).diffId(), three.layers().get(2).diffId(), "the same diff twice in one chain");
      FsState four = store.mutate(three, true, r -> {
        assertEquals("same", Files.readString(r.resolve("f")));
        return Set.of();
      });
      assertEquals(4, four.layers().size(), "a step that changes nothing still gets a layer, as in BuildKit");
      assertEquals("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
          four.layers().get(3).diffId().toString(), "the empty tar");
    }
  }

  @Test
  void closingRemovesTheProcessScratchSpace() throws Exception {
    SnapshotStore store = store();
    store.mutate(FsState.EMPTY, true, r -> Set.of());
    store.close();
    try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
      assertEquals(0, s.count());
    }
  }
}
