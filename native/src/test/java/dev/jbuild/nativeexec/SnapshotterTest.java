package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.testkit.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotterTest {
  @TempDir
  Path tmp;

  @BeforeEach
  void root() {
    Prerequisites.requireRoot();
  }

  static Snapshotter named(String name) {
    return name.equals("overlayfs") ? new OverlaySnapshotter() : new CopyingSnapshotter();
  }

  @Test
  void detectFindsOverlayfsOnThisMachine() {
    assertEquals("overlayfs", Snapshotter.detect().name());
    assertEquals("overlayfs", Snapshotter.detect(tmp).name());
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlayfs", "copy"})
  void stacksLayersWithWhiteoutsAndOpaqueDirs(String kind) throws Exception {
    Path bottom = Fixtures.lowerFrom(new TarBuilder().dir("a", 0755).file("a/x", 0644, "x").file("a/y", 0644, "y").file("a/z", 0644, "z")
        .dir("b", 0755).file("b/old", 0644, "old").file("keep", 0644, "bottom").build(), tmp.resolve("bottom"));
    Path top = Fixtures.lowerFrom(new TarBuilder().dir("a", 0755).file("a/.wh.x", 0, "")
        .dir("b", 0755).file("b/.wh..wh..opq", 0, "").file("b/new", 0644, "new").file("keep", 0644, "top").build(),
        tmp.resolve("top"));
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    MountedRoot root = named(kind).mount(List.of(top, bottom), upper, Files.createDirectory(tmp.resolve("work")),
        Files.createDirectory(tmp.resolve("rootfs")));
    try {
      Path r = root.path();
      assertFalse(Files.exists(r.resolve("a/x"), LinkOption.NOFOLLOW_LINKS));
      assertEquals("y", Files.readString(r.resolve("a/y")));
      assertEquals(List.of("new"), list(r.resolve("b")));
      assertEquals("top", Files.readString(r.resolve("keep")));
      Files.writeString(r.resolve("added"), "added");
      Files.delete(r.resolve("a/y"));
    } finally {
      root.close();
    }
    root.close(); // twice is fine
    assertEquals("added", Files.readString(upper.resolve("added")));
    assertTrue(CopyingSnapshotter.isWhiteout(upper.resolve("a/y")));
    assertEquals(List.of(), list(tmp.resolve("rootfs")), "unmounted / emptied");
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlayfs", "copy"})
  void worksWithoutLowers(String kind) throws Exception {
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    try (MountedRoot root = named(kind).mount(List.of(), upper, Files.createDirectory(tmp.resolve("work")),
        Files.createDirectory(tmp.resolve("rootfs")))) {
      Files.writeString(root.path().resolve("hello"), "hi");
    }
    assertEquals("hi", Files.readString(upper.resolve("hello")));
    assertEquals(Set.of("upper", "work", "rootfs"), Set.copyOf(list(tmp)), "the empty lower dir is removed again");
  }

  @Test
  void volatileIsUsedFromLinux510On() {
    assertTrue(OverlaySnapshotter.supportsVolatile("6.18.44-fc-v1045"));
    assertTrue(OverlaySnapshotter.supportsVolatile("5.10.0-28-amd64"));
    assertFalse(OverlaySnapshotter.supportsVolatile("5.4.0-150-generic"));
    assertFalse(OverlaySnapshotter.supportsVolatile("4.18.0-513.el8.x86_64"));
    assertFalse(OverlaySnapshotter.supportsVolatile(""));
  }

  /** Unmounting a volatile overlay does not sync the upper dir's whole file system (Linux 5.10+, as here). */
  @Test
  void overlaysAreMountedVolatileAndTheUpperDirServesAsALowerAfterwards() throws Exception {
    Path lower = Files.createDirectory(tmp.resolve("lower"));
    Files.writeString(lower.resolve("base"), "b");
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    Path rootfs = Files.createDirectory(tmp.resolve("rootfs"));
    try (MountedRoot root = new OverlaySnapshotter().mount(List.of(lower), upper, Files.createDirectory(tmp.resolve("work")), rootfs)) {
      String options = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .filter(l -> StaleMounts.unescape(l.split(" ")[4]).equals(rootfs.toString()))
          .findFirst().orElseThrow().split(" - ")[1];
      List<String> flags = List.of(options.split(" ")[2].split(","));
      assertTrue(flags.contains("volatile") || flags.contains("fsync=volatile"), options); // newer kernels show fsync=volatile
      Files.writeString(root.path().resolve("added"), "a");
    }
    Path rootfs2 = Files.createDirectory(tmp.resolve("rootfs2"));
    try (MountedRoot root = new OverlaySnapshotter().mount(List.of(upper, lower), Files.createDirectory(tmp.resolve("upper2")),
        Files.createDirectory(tmp.resolve("work2")), rootfs2)) {
      assertEquals("a", Files.readString(root.path().resolve("added")));
      assertEquals("b", Files.readString(root.path().resolve("base")));
    }
  }

  /**
   * 200 lower dirs with long paths need ~17 KB of mount options, four times what one mount(2)
   * call takes: every layer must still be visible, with the top-most winning, and deleting a
   * file of the bottom layer must leave a whiteout.
   */
  @Test
  void aStateDirRemembersThatOverlayfsWorksForThisKernelAndNamespace() throws Exception {
    String key = System.getProperty("os.version") + "\n"
        + Files.readString(Path.of("/proc/self/uid_map")).trim().replaceAll("\\s+", " ") + "\n";
    Path state = Files.createDirectory(tmp.resolve("state"));
    Path note = state.resolve("overlayfs-works");
    assertEquals("overlayfs", Snapshotter.detect(state).name());
    assertEquals(key, Files.readString(note));
    Files.writeString(note, "another kernel\n0 0 1\n");
    assertEquals("overlayfs", Snapshotter.detect(state).name());
    assertEquals(key, Files.readString(note), "a note from another kernel is probed again and replaced");
    try (var entries = Files.list(state)) {
      assertEquals(List.of(note), entries.toList(), "the probe leaves nothing else behind");
    }
  }

  @Test
  void aProbeLeftMountedByAKilledProcessIsDetachedAndRemovedByTheNextDetection() throws Exception {
    Path state = Files.createDirectory(tmp.resolve("state"));
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path dead = probeDir(state, gone.pid());
    Path live = probeDir(state, ProcessHandle.current().pid());
    new OverlaySnapshotter().mount(List.of(dead.resolve("l")), dead.resolve("u"), dead.resolve("w"), dead.resolve("m"));
    assertTrue(mounted(dead), "the killed probe's overlay is mounted");

    assertEquals("overlayfs", Snapshotter.detect(state).name());
    assertFalse(mounted(dead), "detached");
    assertFalse(Files.exists(dead), "removed");
    assertTrue(Files.isDirectory(live), "a running process's probe is left alone");
  }

  private static Path probeDir(Path parent, long pid) throws IOException {
    Path dir = Files.createDirectory(parent.resolve(SnapshotterDetection.PROBE_PREFIX + pid + "-123"));
    for (String d : List.of("l", "u", "w", "m")) {
      Files.createDirectory(dir.resolve(d));
    }
    return dir;
  }

  private static boolean mounted(Path dir) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .anyMatch(l -> StaleMounts.unescape(l.split(" ")[4]).startsWith(dir.toString()));
  }

  @Test
  void mountsTwoHundredLayersPastThePageSizeLimit() throws Exception {
    List<Path> lowers = new ArrayList<>(); // top-most first
    int layers = 200;
    for (int i = layers - 1; i >= 0; i--) {
      Path l = Files.createDirectories(tmp.resolve("layers/sha256-" + "0123456789abcdef".repeat(4) + "-" + i));
      Files.writeString(l.resolve("layer-" + i), Integer.toString(i));
      Files.writeString(l.resolve("shadowed"), Integer.toString(i));
      lowers.add(l);
    }
    int optionBytes = lowers.stream().mapToInt(p -> p.toString().length() + 1).sum();
    assertTrue(optionBytes > 4 * OverlaySnapshotter.MAX_MOUNT_DATA, "the test must exceed the limit: " + optionBytes);
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    try (MountedRoot root = new OverlaySnapshotter().mount(lowers, upper, Files.createDirectory(tmp.resolve("work")),
        Files.createDirectory(tmp.resolve("rootfs")))) {
      for (int i = 0; i < layers; i++) {
        assertEquals(Integer.toString(i), Files.readString(root.path().resolve("layer-" + i)));
      }
      assertEquals(Integer.toString(layers - 1), Files.readString(root.path().resolve("shadowed")));
      Files.delete(root.path().resolve("layer-0"));
    }
    assertTrue(CopyingSnapshotter.isWhiteout(upper.resolve("layer-0")));
    assertEquals(Set.of("upper", "work", "rootfs", "layers"), Set.copyOf(list(tmp)), "the short names are removed");
  }

  @Test
  void refusesPathsOverlayOptionsCannotHold() throws Exception {
    Path odd = Files.createDirectories(tmp.resolve("a,b"));
    IOException e = assertThrows(IOException.class, () -> new OverlaySnapshotter().mount(List.of(odd),
        Files.createDirectory(tmp.resolve("upper")), Files.createDirectory(tmp.resolve("work")),
        Files.createDirectory(tmp.resolve("rootfs"))));
    assertTrue(e.getMessage().contains("contains ':', ',' or '\\'"), e.getMessage());
  }

  private static List<String> list(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
