package dev.jbuild.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.nativeexec.MountedRoot;
import dev.jbuild.nativeexec.Snapshotter;
import dev.jbuild.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY writing new files straight into the upper dir gives exactly the layer that writing every
 * file through the overlayfs mount gives, over a base with symlinks, lower-only parents, files to
 * replace and hardlinks.
 */
class DeferredCopyTest {
  @TempDir Path work;

  @BeforeAll
  static void root() {
    Prerequisites.requireRoot();
  }

  /** Three COPYs: a context dir and single files into /app, files into a lower-only /etc, files through /bin -> usr/bin. */
  private static final List<List<String>> SOURCES = List.of(
      List.of("ctx/", "one.txt", "again/one.txt", "gonefile/gone", "gonedir/"), List.of("conf/"), List.of("tool", "tool2"));
  private static final List<String> DESTINATIONS = List.of("/app/", "/etc/", "/bin/");

  @Test
  void deferredFilesMakeTheSameLayersAsCopyingThroughTheMount() throws Exception {
    Path src = source();
    Op.Ownership owner = new Op.Ownership(7, 8);
    List<String> throughMount = new ArrayList<>();
    TreeMap<String, String> throughMountListing;
    try (SnapshotStore store = store("a")) {
      FsState state = base(store);
      for (int i = 0; i < SOURCES.size(); i++) {
        int n = i;
        state = store.mutate(state, false, r -> {
          new FileCopier(Optional.of(owner), Optional.empty(), false).copy(src, PathFilter.NONE, SOURCES.get(n), r, DESTINATIONS.get(n));
          return Set.of();
        });
        throughMount.add(state.layers().get(n + 1).diffId().toString());
      }
      throughMountListing = listing(store, state);
    }
    AtomicInteger deferred = new AtomicInteger();
    try (SnapshotStore store = store("b")) {
      FsState state = base(store);
      for (int i = 0; i < SOURCES.size(); i++) {
        int n = i;
        state = store.mutate(state, (r, upper) -> {
          DeferredFiles d = new FileCopier(Optional.of(owner), Optional.empty(), false)
              .copyDeferring(src, PathFilter.NONE, SOURCES.get(n), r, upper, DESTINATIONS.get(n));
          deferred.addAndGet(d.size());
          return d;
        });
        assertEquals(throughMount.get(n), state.layers().get(n + 1).diffId().toString(),
            "COPY " + SOURCES.get(n) + ": the same layer, byte for byte");
      }
      TreeMap<String, String> l = listing(store, state);
      assertEquals(throughMountListing, l);
      assertEquals("f 640 7:8 new n1", l.get("app/old.txt"), "a file of the base is replaced");
      assertEquals("f 644 7:8 a n1", l.get("app/a.txt"));
      assertEquals("l 777 7:8 -> a.txt", l.get("app/rel"));
      assertEquals("f 600 7:8 linked n2", l.get("app/h1"));
      assertEquals("f 600 7:8 linked n2", l.get("app/h2"));
      assertEquals("f 644 7:8 file 299 n1", l.get("app/many/f299"));
      assertEquals("f 644 7:8 second n1", l.get("app/one.txt"), "the later source to the same path wins");
      assertEquals("d 755 7:8", l.get("app/gone"), "a directory replaces a file copied before it");
      assertEquals("f 644 7:8 x n1", l.get("app/gone/x"));
      assertEquals("d 711 0:0", l.get("etc"), "a lower-only parent keeps its mode and owner");
      assertEquals("f 644 7:8 b n1", l.get("etc/b.conf"));
      assertEquals("l 777 0:0 -> usr/bin", l.get("bin"));
      assertEquals("f 755 7:8 tool 2 n1", l.get("usr/bin/tool2"), "written through the base's bin -> usr/bin");
    }
    // deferred: many/* and one.txt, gone/x (gone itself became a directory); etc/b.conf; usr/bin/tool2 —
    // the first file into a parent that is only in a lower layer goes through the mount, which copies the parent up
    assertEquals(300 + 1 + 1 + 1 + 1, deferred.get());
  }

  private SnapshotStore store(String name) throws Exception {
    Path dir = Files.createDirectories(work.resolve(name));
    return new SnapshotStore(dir, new ContentStore(dir), Snapshotter.detect(dir), Optional.of(Instant.ofEpochSecond(1000)));
  }

  /** A base with /bin -> usr/bin, an /etc only in the lower layer, and /app/old.txt to replace. */
  private static FsState base(SnapshotStore store) throws Exception {
    return store.mutate(FsState.EMPTY, false, r -> {
      Files.createDirectories(r.resolve("usr/bin"));
      Files.createSymbolicLink(r.resolve("bin"), Path.of("usr/bin"));
      Files.createDirectories(r.resolve("etc"));
      FileModes.set(r.resolve("etc"), 0711, Op.Ownership.ROOT);
      Files.createDirectories(r.resolve("app"));
      Files.writeString(r.resolve("app/old.txt"), "old");
      return Set.of();
    });
  }

  private Path source() throws Exception {
    Path src = Files.createDirectories(work.resolve("src"));
    Path ctx = Files.createDirectories(src.resolve("ctx"));
    write(ctx.resolve("old.txt"), "new", 0640);
    write(ctx.resolve("a.txt"), "a", 0644);
    Files.createDirectories(ctx.resolve("many"));
    for (int i = 0; i < 300; i++) {
      write(ctx.resolve("many/f" + i), "file " + i, 0644);
    }
    write(ctx.resolve("h1"), "linked", 0600);
    Files.createLink(ctx.resolve("h2"), ctx.resolve("h1"));
    Files.createSymbolicLink(ctx.resolve("rel"), Path.of("a.txt"));
    write(src.resolve("one.txt"), "first", 0644);
    Files.createDirectories(src.resolve("again"));
    write(src.resolve("again/one.txt"), "second", 0644);
    Files.createDirectories(src.resolve("gonefile"));
    write(src.resolve("gonefile/gone"), "a file, then a directory", 0644);
    Files.createDirectories(src.resolve("gonedir/gone"));
    write(src.resolve("gonedir/gone/x"), "x", 0644);
    Files.createDirectories(src.resolve("conf"));
    write(src.resolve("conf/a.conf"), "a", 0644);
    write(src.resolve("conf/b.conf"), "b", 0644);
    write(src.resolve("tool"), "tool", 0755);
    write(src.resolve("tool2"), "tool 2", 0755);
    return src;
  }

  private static void write(Path p, String content, int mode) throws Exception {
    Files.writeString(p, content);
    FileModes.set(p, mode, Op.Ownership.ROOT);
    Files.setLastModifiedTime(p, FileTime.fromMillis(0));
  }

  /** The state's filesystem as {@link FileCopierTest#listing} shows it. */
  private static TreeMap<String, String> listing(SnapshotStore store, FsState state) throws Exception {
    try (MountedRoot view = store.view(state)) {
      return FileCopierTest.listing(view.path());
    }
  }
}
