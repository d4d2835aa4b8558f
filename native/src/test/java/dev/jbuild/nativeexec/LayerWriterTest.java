package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.testkit.Prerequisites;
import java.io.ByteArrayInputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LayerWriter over upper dirs made by hand, in overlayfs' format. */
class LayerWriterTest {
  static final Instant OLD = Instant.parse("2001-02-03T04:05:06Z");
  static final Instant EPOCH = Instant.parse("2020-01-01T00:00:00Z");

  @TempDir
  Path tmp;
  Path upper;

  @BeforeEach
  void upperDir() throws Exception {
    Prerequisites.requireRoot();
    upper = Files.createDirectories(tmp.resolve("upper"));
    Files.createDirectories(upper.resolve("app/bin"));
    Files.writeString(upper.resolve("app/bin/tool"), "#!/bin/sh\n");
    Libc.chmod(upper.resolve("app/bin/tool"), 04755);
    Files.writeString(upper.resolve("app/data"), "data");
    Libc.lchown(upper.resolve("app/data"), 1000, 3_000_000);
    Libc.lsetxattr(upper.resolve("app/data"), "user.kind", "payload".getBytes(StandardCharsets.US_ASCII));
    Libc.lsetxattr(upper.resolve("app/bin/tool"), "security.capability",
        new byte[] {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    Files.createLink(upper.resolve("app/data-link"), upper.resolve("app/data"));
    Files.createSymbolicLink(upper.resolve("app/current"), Path.of("bin/tool"));
    Libc.mknod(upper.resolve("app/fifo"), Libc.S_IFIFO | 0600, 0);
    Libc.mknod(upper.resolve("app/null"), Libc.S_IFCHR | 0666, Libc.makedev(1, 3));
    Libc.chmod(upper.resolve("app/null"), 0666); // past the umask
    Libc.mknod(upper.resolve("app/removed"), Libc.S_IFCHR, 0); // overlayfs whiteout
    Files.createDirectories(upper.resolve("var/cache"));
    Libc.lsetxattr(upper.resolve("var/cache"), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
    Files.writeString(upper.resolve("var/cache/fresh"), "f");
    String longDir = "deep/" + "d".repeat(80) + "/" + "e".repeat(80);
    Files.createDirectories(upper.resolve(longDir));
    Files.writeString(upper.resolve(longDir + "/" + "f".repeat(120)), "long");
    try (ServerSocketChannel s = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(upper.resolve("app/socket")));
    }
    // the executor's mount points: still untouched, except etc which also got a real file
    Files.createDirectories(upper.resolve("proc"));
    Files.createDirectories(upper.resolve("etc"));
    Files.createFile(upper.resolve("etc/resolv.conf"));
    Files.createFile(upper.resolve("etc/hosts"));
    Files.createDirectories(upper.resolve("mnt/cache"));
    Files.writeString(upper.resolve("etc/hostname"), "kept\n");
    try (var all = Files.walk(upper)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Libc.setTimes(p, OLD, OLD);
      }
    }
    Libc.setTimes(upper.resolve("var/cache/fresh"), Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2030-01-01T00:00:00Z"));
  }

  static final Set<String> CREATED = Set.of("proc", "etc", "etc/resolv.conf", "etc/hosts", "mnt", "mnt/cache");

  @Test
  void writesExactlyTheChangesInSortedOrder() throws Exception {
    byte[] layer = Fixtures.layerOf(upper, CREATED, Optional.of(EPOCH));
    String longDir = "deep/" + "d".repeat(80) + "/" + "e".repeat(80);
    assertEquals(List.of(
        "app", "app/.wh.removed", "app/bin", "app/bin/tool", "app/current", "app/data", "app/data-link", "app/fifo",
        "app/null", "deep", "deep/" + "d".repeat(80), longDir, longDir + "/" + "f".repeat(120),
        "etc", "etc/hostname", "var", "var/cache", "var/cache/.wh..wh..opq", "var/cache/fresh"),
        Fixtures.entries(layer));
    List<TarEntry> entries = Fixtures.tarEntries(layer);
    TarEntry data = entries.get(5);
    assertEquals(1000, data.uid());
    assertEquals(3_000_000, data.gid());
    assertArrayEquals("payload".getBytes(), data.xattrs().get("user.kind"));
    assertEquals(TarEntry.Type.HARDLINK, entries.get(6).type());
    assertEquals("app/data", entries.get(6).linkName());
    assertEquals(04755, entries.get(3).mode());
    assertEquals(OLD, data.mtime(), "older than SOURCE_DATE_EPOCH: kept");
    assertEquals(EPOCH, entries.get(18).mtime(), "newer than SOURCE_DATE_EPOCH: clamped");
    assertEquals(0, entries.get(1).mode());
  }

  @Test
  void gnuTarReadsTheLayer() throws Exception {
    byte[] layer = Fixtures.layerOf(upper, CREATED, Optional.of(EPOCH));
    List<String> listing = Fixtures.gnuTarListing(layer, tmp);
    assertEquals(19, listing.size(), String.join("\n", listing));
    assertTrue(listing.get(3).matches("-rwsr-xr-x 0/0 +10 2001-02-03 04:05:06 app/bin/tool"), listing.get(3));
    assertTrue(listing.get(6).matches("hrw-r--r-- 1000/3000000 +0 2001-02-03 04:05:06 app/data-link link to app/data"),
        listing.get(6));
    assertTrue(listing.get(8).matches("crw-rw-rw- 0/0 +1,3 2001-02-03 04:05:06 app/null"), listing.get(8));
    assertTrue(listing.get(17).matches("-{10} 0/0 +0 2001-02-03 04:05:06 var/cache/.wh..wh..opq"), listing.get(17));
    assertTrue(listing.get(18).matches("-rw-r--r-- 0/0 +1 2020-01-01 00:00:00 var/cache/fresh"), listing.get(18));
  }

  @Test
  void identicalInputGivesIdenticalBytes() throws Exception {
    byte[] first = Fixtures.layerOf(upper, CREATED, Optional.of(EPOCH));
    // a copy made in another order (different inode numbers and directory order) writes the same bytes
    Path copy = Files.createDirectories(tmp.resolve("copy"));
    new LayerReader().unpack(new ByteArrayInputStream(Fixtures.layerOf(upper, Set.of(), Optional.empty())), copy);
    assertArrayEquals(first, Fixtures.layerOf(copy, CREATED, Optional.of(EPOCH)));
  }

  @Test
  void roundTripsThroughLayerReader() throws Exception {
    byte[] layer = Fixtures.layerOf(upper, Set.of(), Optional.empty());
    Path back = Files.createDirectories(tmp.resolve("back"));
    new LayerReader().unpack(new ByteArrayInputStream(layer), back);
    Files.delete(upper.resolve("app/socket")); // the one thing a layer cannot carry
    TreeMap<String, String> expected = Fixtures.describe(upper);
    TreeMap<String, String> actual = Fixtures.describe(back);
    assertEquals(expected, actual);
    assertArrayEquals("y".getBytes(), Libc.lgetxattr(back.resolve("var/cache"), "trusted.overlay.opaque"));
  }

  @Test
  void mountPointsAreKeptOnceTheyChanged() throws Exception {
    Files.writeString(upper.resolve("etc/resolv.conf"), "nameserver 1.1.1.1\n");
    Files.writeString(upper.resolve("mnt/cache/x"), "x");
    List<String> names = Fixtures.entries(Fixtures.layerOf(upper, CREATED, Optional.of(EPOCH)));
    assertTrue(names.containsAll(List.of("etc/resolv.conf", "mnt", "mnt/cache", "mnt/cache/x")), names.toString());
    assertTrue(!names.contains("proc") && !names.contains("etc/hosts"), names.toString());
  }

  @Test
  void mtimesAreWholeSecondsWithoutEpoch() throws Exception {
    Libc.setTimes(upper.resolve("app/data"), Instant.ofEpochSecond(1_600_000_000L, 999_999_999),
        Instant.ofEpochSecond(1_600_000_000L, 999_999_999));
    TarEntry data = Fixtures.tarEntries(Fixtures.layerOf(upper, CREATED, Optional.empty())).get(5);
    assertEquals(Instant.ofEpochSecond(1_600_000_000L), data.mtime());
    assertEquals(FileTime.from(Instant.ofEpochSecond(1_600_000_000L, 999_999_999)),
        Files.getLastModifiedTime(upper.resolve("app/data")));
  }
}
