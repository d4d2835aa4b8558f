package dev.jbuild.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY/ADD's file semantics as BuildKit's file op has them (each expectation was checked against
 * Docker 20.10's BuildKit): owners of created directories, hardlinks, symlinks in the
 * destination, archives, --exclude and --parents.
 */
class FileCopierTest {
  @TempDir Path work;

  @BeforeAll
  static void root() {
    Prerequisites.requireRoot(); // owners other than our own need root
  }

  private Path src() throws Exception {
    return Files.createDirectories(work.resolve("src"));
  }

  private Path dest() throws Exception {
    return Files.createDirectories(work.resolve("dest"));
  }

  /** Every path under root as "type mode uid:gid[ -> link]", sorted: the rootfs as a listing. */
  static TreeMap<String, String> listing(Path root) throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        if (p.equals(root)) {
          continue;
        }
        String type = Files.isSymbolicLink(p) ? "l" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "d" : "f";
        String e = type + " " + Integer.toOctalString(FileModes.mode(p) & 07777) + " "
            + Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
            + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        if (type.equals("l")) {
          e += " -> " + Files.readSymbolicLink(p);
        } else if (type.equals("f")) {
          e += " " + Files.readString(p).strip() + " n" + Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        }
        out.put(root.relativize(p).toString(), e);
      }
    }
    return out;
  }

  @Test
  void chownOwnsTheDirectoriesTheCopyCreatesButNotExistingOnes() throws Exception {
    Path src = src();
    Files.writeString(src.resolve("f"), "hi");
    Files.createDirectories(src.resolve("d/sub"));
    Files.writeString(src.resolve("d/sub/y"), "y");
    Path dest = dest();
    Files.createDirectories(dest.resolve("tmp"));
    Optional<Op.Ownership> app = Optional.of(new Op.Ownership(1001, 1002));
    new FileCopier(app, Optional.empty(), false).copy(src, PathFilter.NONE, List.of("f"), dest, "/logs/");
    new FileCopier(app, Optional.empty(), false).copy(src, PathFilter.NONE, List.of("d"), dest, "/a/b/");
    new FileCopier(app, Optional.empty(), false).copy(src, PathFilter.NONE, List.of("d"), dest, "/tmp/");
    TreeMap<String, String> expected = new TreeMap<>();
    expected.put("logs", "d 755 1001:1002");
    expected.put("logs/f", "f 644 1001:1002 hi n1");
    expected.put("a", "d 755 1001:1002");
    expected.put("a/b", "d 755 1001:1002");
    expected.put("a/b/sub", "d 755 1001:1002");
    expected.put("a/b/sub/y", "f 644 1001:1002 y n1");
    expected.put("tmp", "d 755 0:0");
    expected.put("tmp/sub", "d 755 1001:1002");
    expected.put("tmp/sub/y", "f 644 1001:1002 y n1");
    assertEquals(expected, listing(dest));
  }

  @Test
  void hardlinksStayLinkedAndSymlinksInTheDestinationAreWrittenThrough() throws Exception {
    Path src = src();
    Files.createDirectories(src.resolve("h/d"));
    Files.writeString(src.resolve("h/d/one"), "x");
    Files.createLink(src.resolve("h/d/two"), src.resolve("h/d/one"));
    Files.writeString(src.resolve("f"), "new");
    Path dest = dest();
    Files.createDirectories(dest.resolve("real"));
    Files.writeString(dest.resolve("real/file"), "old");
    Files.createSymbolicLink(dest.resolve("flink"), Path.of("/real/file")); // absolute: resolved inside dest
    Files.createSymbolicLink(dest.resolve("dlink"), Path.of("/real"));
    FileCopier none = new FileCopier(Optional.empty(), Optional.empty(), false);
    none.copy(src, PathFilter.NONE, List.of("h"), dest, "/copied");
    none.copy(src, PathFilter.NONE, List.of("f"), dest, "/flink");
    none.copy(src, PathFilter.NONE, List.of("f"), dest, "/dlink/");
    TreeMap<String, String> l = listing(dest);
    assertEquals("f 644 0:0 x n2", l.get("copied/d/one"));
    assertEquals(Files.getAttribute(dest.resolve("copied/d/one"), "unix:ino"), Files.getAttribute(dest.resolve("copied/d/two"), "unix:ino"));
    assertEquals("l 777 0:0 -> /real/file", l.get("flink"));
    assertEquals("f 644 0:0 new n1", l.get("real/file"));
    assertEquals("l 777 0:0 -> /real", l.get("dlink"));
    assertEquals("f 644 0:0 new n1", l.get("real/f"));
  }

  @Test
  void addChownOwnsTheDestinationNotTheArchiveEntries() throws Exception {
    Path src = src();
    Path tree = Files.createDirectories(work.resolve("tree/inner"));
    Files.writeString(tree.resolve("a"), "a");
    Process tar = new ProcessBuilder("tar", "--owner=7", "--group=8", "-czf", src.resolve("a.tgz").toString(), "-C",
        work.resolve("tree").toString(), ".").inheritIO().start();
    assertEquals(0, tar.waitFor());
    Path dest = dest();
    new FileCopier(Optional.of(new Op.Ownership(1001, 1002)), Optional.empty(), true)
        .copy(src, PathFilter.NONE, List.of("a.tgz"), dest, "/ad/");
    TreeMap<String, String> l = listing(dest);
    assertEquals("d 755 1001:1002", l.get("ad"));
    assertEquals("d 755 7:8", l.get("ad/inner"));
    assertEquals("f 644 7:8 a n1", l.get("ad/inner/a"));
  }

  @Test
  void excludeLeavesOutGlobMatchesAndPathsBelowCopiedDirectories() throws Exception {
    Path src = src();
    Files.writeString(src.resolve("home.txt"), "t");
    Files.writeString(src.resolve("homer"), "r");
    Files.createDirectories(src.resolve("app/node_modules/m"));
    Files.writeString(src.resolve("app/node_modules/m/i.js"), "m");
    Files.writeString(src.resolve("app/main.js"), "main");
    Files.writeString(src.resolve("app/notes.txt"), "n");
    PathFilter exclude = PathFilter.of(p -> p.endsWith(".txt") || p.equals("node_modules"));
    Path dest = dest();
    FileCopier c = new FileCopier(Optional.empty(), Optional.empty(), false, exclude, false);
    c.copy(src, PathFilter.NONE, List.of("hom*"), dest, "/mydir/");
    c.copy(src, PathFilter.NONE, List.of("app"), dest, "/app");
    assertEquals(List.of("app", "app/main.js", "mydir", "mydir/homer"), List.copyOf(listing(dest).keySet()));
  }

  @Test
  void parentsKeepTheSourcePathUnderTheDestinationFromThePivot() throws Exception {
    Path src = src();
    Files.createDirectories(src.resolve("x/a/b"));
    Files.writeString(src.resolve("x/a/b/f.txt"), "f");
    Files.createDirectories(src.resolve("y/c"));
    Files.writeString(src.resolve("y/c/g.txt"), "g");
    Path dest = dest();
    FileCopier c = new FileCopier(Optional.empty(), Optional.empty(), false, PathFilter.NONE, true);
    c.copy(src, PathFilter.NONE, List.of("x/a/b/f.txt", "./y/./c"), dest, "/out/");
    TreeMap<String, String> l = listing(dest);
    assertEquals("f 644 0:0 f n1", l.get("out/x/a/b/f.txt"));
    assertEquals("f 644 0:0 g n1", l.get("out/c/g.txt"));
    assertFalse(l.containsKey("out/y"), l.toString());
    assertTrue(l.containsKey("out/x/a"));
  }
}
