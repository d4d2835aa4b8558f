package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.testkit.Prerequisites;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerReaderTest {
  @TempDir
  Path tmp;

  @BeforeEach
  void root() {
    Prerequisites.requireRoot(); // whiteout devices, trusted.* xattrs and chown need it
  }

  private Path unpack(byte[] tar) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("layer"));
    new LayerReader().unpack(new ByteArrayInputStream(tar), dir);
    return dir;
  }

  @Test
  void whiteoutsBecomeOverlayWhiteoutsAndOpaqueMarkersAnXattr() throws Exception {
    Path dir = unpack(new TarBuilder()
        .dir("etc", 0755).file("etc/.wh.gone", 0, "")
        .dir("var", 0755).file("var/.wh..wh..opq", 0, "").file("var/kept", 0644, "k")
        .build());
    Map<String, Object> st = Files.readAttributes(dir.resolve("etc/gone"), "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    assertEquals(0020000, (Integer) st.get("mode") & 0170000, "a character device");
    assertEquals(0L, st.get("rdev"));
    assertArrayEquals("y".getBytes(StandardCharsets.US_ASCII), Libc.lgetxattr(dir.resolve("var"), "trusted.overlay.opaque"));
    assertFalse(Files.exists(dir.resolve("var/.wh..wh..opq"), LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.isRegularFile(dir.resolve("var/kept")));
  }

  @Test
  void keepsOwnersModesTimesLinksAndXattrs() throws Exception {
    TreeMap<String, byte[]> xattrs = new TreeMap<>();
    xattrs.put("user.origin", "test".getBytes(StandardCharsets.US_ASCII));
    xattrs.put("trusted.overlay.redirect", "/elsewhere".getBytes(StandardCharsets.US_ASCII)); // must be dropped
    Path dir = unpack(new TarBuilder()
        .dir("bin", 0755)
        .add(TarEntry.of("bin/su", TarEntry.Type.FILE, 04755, 0, 0, TarBuilder.T).withSize(2), "su".getBytes())
        .add(TarEntry.of("tmp", TarEntry.Type.DIRECTORY, 01777, 0, 0, TarBuilder.T), null)
        .add(TarEntry.of("home/app/data", TarEntry.Type.FILE, 0640, 1000, 1001, TarBuilder.T).withSize(1)
            .withXattrs(xattrs), "d".getBytes())
        .hardlink("home/app/data2", "home/app/data")
        .symlink("bin/sh", "/bin/su")
        .add(TarEntry.of("dev/null", TarEntry.Type.CHAR_DEVICE, 0666, 0, 0, TarBuilder.T).withDevice(1, 3), null)
        .add(TarEntry.of("run/fifo", TarEntry.Type.FIFO, 0600, 0, 0, TarBuilder.T), null)
        .build());
    assertEquals(0104755, Files.getAttribute(dir.resolve("bin/su"), "unix:mode"));
    assertEquals(041777, Files.getAttribute(dir.resolve("tmp"), "unix:mode"));
    assertEquals(1000, Files.getAttribute(dir.resolve("home/app/data"), "unix:uid"));
    assertEquals(1001, Files.getAttribute(dir.resolve("home/app/data"), "unix:gid"));
    assertEquals(TarBuilder.T, Files.getLastModifiedTime(dir.resolve("home/app/data")).toInstant());
    assertEquals(TarBuilder.T, Files.getLastModifiedTime(dir.resolve("tmp")).toInstant(), "dir times are set last");
    assertEquals(Files.getAttribute(dir.resolve("home/app/data"), "unix:ino"),
        Files.getAttribute(dir.resolve("home/app/data2"), "unix:ino"));
    assertArrayEquals("test".getBytes(), Libc.lgetxattr(dir.resolve("home/app/data"), "user.origin"));
    assertEquals(null, Libc.lgetxattr(dir.resolve("home/app/data"), "trusted.overlay.redirect"));
    assertEquals("/bin/su", Files.readSymbolicLink(dir.resolve("bin/sh")).toString());
    assertEquals(Libc.makedev(1, 3), Files.getAttribute(dir.resolve("dev/null"), "unix:rdev"));
    assertEquals(0010600, Files.getAttribute(dir.resolve("run/fifo"), "unix:mode"));
  }

  @Test
  void laterEntriesReplaceEarlierOnesWithoutFollowingSymlinks() throws Exception {
    Path outside = Files.writeString(tmp.resolve("outside.txt"), "untouched");
    Path dir = unpack(new TarBuilder()
        .symlink("f", outside.toString())
        .file("f", 0644, "replaced")
        .build());
    assertEquals("replaced", Files.readString(dir.resolve("f")));
    assertEquals("untouched", Files.readString(outside));
  }

  @Test
  void absoluteSymlinksResolveInsideTheLayer() throws Exception {
    Path dir = unpack(new TarBuilder()
        .dir("usr", 0755).dir("usr/lib", 0755)
        .symlink("lib", "/usr/lib")
        .file("lib/libx.so", 0644, "x")
        .build());
    assertEquals("x", Files.readString(dir.resolve("usr/lib/libx.so")));
  }

  @Test
  void rejectsEntriesThatEscapeTheRoot() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("victim"));
    assertEscapes("../evil", new TarBuilder().file("../evil", 0644, "x").build());
    assertEscapes("a/../../evil", new TarBuilder().file("a/../../evil", 0644, "x").build());
    assertEscapes("/etc/passwd", new TarBuilder().file("/etc/passwd", 0644, "x").build());
    assertEscapes("up/evil", new TarBuilder().symlink("up", "../../victim").file("up/evil", 0644, "x").build());
    assertEscapes("a/b/c/evil", new TarBuilder().dir("a", 0755).symlink("a/b", "..").symlink("a/b/c", "../..")
        .file("a/b/c/evil", 0644, "x").build());
    assertEscapes("../../victim/x", new TarBuilder().hardlink("pw", "../../victim/x").build());
    try (var s = Files.list(outside)) {
      assertEquals(0, s.count(), "nothing written outside");
    }
  }

  private void assertEscapes(String name, byte[] tar) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "layer");
    LayerException e = assertThrows(LayerException.class, () -> new LayerReader().unpack(new ByteArrayInputStream(tar), dir));
    assertEquals("layer entry " + name + " escapes the root", e.getMessage());
  }

  @Test
  void rejectsGarbage() throws Exception {
    byte[] junk = new byte[1024];
    java.util.Arrays.fill(junk, (byte) 'q');
    Path dir = Files.createDirectories(tmp.resolve("g"));
    LayerException e = assertThrows(LayerException.class, () -> new LayerReader().unpack(new ByteArrayInputStream(junk), dir));
    assertTrue(e.getMessage().contains("not a valid tar"), e.getMessage());
  }
}
