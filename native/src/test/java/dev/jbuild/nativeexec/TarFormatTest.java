package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarFormatTest {
  @TempDir
  Path tmp;

  @Test
  void plainEntriesNeedNoPaxHeader() throws Exception {
    byte[] tar = new TarBuilder().dir("etc", 0755).file("etc/motd", 0644, "hi\n").build();
    // two headers + one data block + end marker: nothing else
    assertEquals(512 * 3 + 1024, tar.length);
    assertEquals(List.of("etc", "etc/motd"), Fixtures.entries(tar));
  }

  @Test
  void longNamesBigIdsAndBinaryXattrsSurviveARoundTrip() throws Exception {
    String deep = "d/" + "x".repeat(120) + "/" + "y".repeat(90);      // ustar prefix/name split
    String huge = "z".repeat(300);                                    // needs a PAX path
    String unicode = "données/résumé.txt";                            // non-ASCII: PAX path
    byte[] capability = {1, 0, 0, 2, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    TreeMap<String, byte[]> xattrs = new TreeMap<>();
    xattrs.put("security.capability", capability);
    xattrs.put("user.note", "ü".getBytes(StandardCharsets.UTF_8));
    Instant t = Instant.parse("2023-05-06T07:08:09Z");
    byte[] tar = new TarBuilder()
        .add(TarEntry.of(deep, TarEntry.Type.FILE, 04755, 0, 0, t).withSize(3), "abc".getBytes(StandardCharsets.US_ASCII))
        .add(TarEntry.of(huge, TarEntry.Type.SYMLINK, 0777, 3_000_000, 70_000, t).withLink("l".repeat(150)), null)
        .add(TarEntry.of(unicode, TarEntry.Type.FILE, 0600, 1, 2, t).withXattrs(xattrs), null)
        .build();

    List<TarEntry> back = Fixtures.tarEntries(tar);
    assertEquals(List.of(deep, huge, unicode), back.stream().map(TarEntry::name).toList());
    assertEquals(04755, back.get(0).mode());
    assertEquals(3_000_000, back.get(1).uid());
    assertEquals(70_000, back.get(1).gid());
    assertEquals("l".repeat(150), back.get(1).linkName());
    assertArrayEquals(capability, back.get(2).xattrs().get("security.capability"));
    assertEquals("ü", new String(back.get(2).xattrs().get("user.note"), StandardCharsets.UTF_8));
    assertEquals(t, back.get(2).mtime());

    // GNU tar, an independent reader, sees the same names, owners and modes
    List<String> listing = Fixtures.gnuTarListing(tar, tmp);
    assertEquals(3, listing.size(), String.join("\n", listing));
    assertTrue(listing.get(0).startsWith("-rwsr-xr-x 0/0 ") && listing.get(0).endsWith(" " + deep), listing.get(0));
    assertTrue(listing.get(1).startsWith("lrwxrwxrwx 3000000/70000 ") && listing.get(1).endsWith(huge + " -> " + "l".repeat(150)),
        listing.get(1));
    assertTrue(listing.get(2).endsWith(" " + unicode), listing.get(2));
  }

  @Test
  void readsGnuTarOutputIncludingLongNames() throws Exception {
    Path src = tmp.resolve("src");
    String longName = "n".repeat(150);
    java.nio.file.Files.createDirectories(src.resolve("a"));
    java.nio.file.Files.writeString(src.resolve("a").resolve(longName), "data");
    java.nio.file.Files.createSymbolicLink(src.resolve("link"), Path.of("a/" + longName));
    Path archive = tmp.resolve("gnu.tar");
    dev.jbuild.testkit.Processes.run(List.of("tar", "--format=gnu", "-C", src.toString(), "-cf", archive.toString(),
        "a", "link")).assertSuccess();
    List<TarEntry> entries = Fixtures.tarEntries(java.nio.file.Files.readAllBytes(archive));
    assertEquals(List.of("a", "a/" + longName, "link"), entries.stream().map(TarEntry::name).toList());
    assertEquals("a/" + longName, entries.get(2).linkName());
    TarReader r = new TarReader(new ByteArrayInputStream(java.nio.file.Files.readAllBytes(archive)));
    r.next();
    r.next();
    assertEquals("data", new String(r.content().readAllBytes(), StandardCharsets.US_ASCII));
  }
}
