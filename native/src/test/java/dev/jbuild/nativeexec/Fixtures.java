package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.BaseImages;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Shared helpers: base layers, tar inspection, tree descriptions for comparing file systems. */
final class Fixtures {
  private Fixtures() {}

  /** Unpacks the busybox base layer of {@code platform} into a new directory under {@code parent}. */
  static Path busyboxLower(Platform platform, Path parent) throws IOException, LayerException {
    Prerequisites.requireRoot();
    Path dir = Files.createDirectories(parent.resolve("busybox-" + platform.architecture()));
    try (InputStream in = new GZIPInputStream(Files.newInputStream(BaseImages.layer(platform)))) {
      new LayerReader().unpack(in, dir);
    }
    return dir;
  }

  /** A layer dir made from tar entries given as a tar built by {@link TarBuilder}. */
  static Path lowerFrom(byte[] tar, Path dir) throws IOException, LayerException {
    Files.createDirectories(dir);
    new LayerReader().unpack(new ByteArrayInputStream(tar), dir);
    return dir;
  }

  static byte[] layerOf(Path upper, Set<String> skip, Optional<java.time.Instant> epoch) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new LayerWriter(epoch).write(upper, skip, out);
    return out.toByteArray();
  }

  /** The entry names of a tar, in archive order. */
  static List<String> entries(byte[] tar) throws IOException, LayerException {
    TarReader r = new TarReader(new ByteArrayInputStream(tar));
    List<String> out = new ArrayList<>();
    TarEntry e;
    while ((e = r.next()) != null) {
      out.add(e.name());
    }
    return out;
  }

  static List<TarEntry> tarEntries(byte[] tar) throws IOException, LayerException {
    TarReader r = new TarReader(new ByteArrayInputStream(tar));
    List<TarEntry> out = new ArrayList<>();
    TarEntry e;
    while ((e = r.next()) != null) {
      out.add(e);
    }
    return out;
  }

  /** GNU tar's listing (an independent reader): "perm owner size date time name[ -> link]" lines. */
  static List<String> gnuTarListing(byte[] tar, Path scratch) throws IOException {
    Prerequisites.requireProgram("tar", "tar");
    Path file = Files.createTempFile(scratch, "layer", ".tar");
    Files.write(file, tar);
    Processes.Result r = Processes.run(List.of("tar", "--numeric-owner", "--full-time", "--quoting-style=literal", "-tvf", file.toString()),
        null, Map.of("TZ", "UTC", "LC_ALL", "C"), 60).assertSuccess();
    return r.stdout().lines().toList();
  }

  /**
   * Every path under root with its type, mode, owner, size, content digest or link target, device
   * number, xattrs and (for non-directories) mtime in whole seconds; what a layer must preserve.
   */
  static TreeMap<String, String> describe(Path root) throws IOException {
    TreeMap<String, String> tree = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (p.equals(root)) {
          continue;
        }
        Map<String, Object> st = Files.readAttributes(p, "unix:mode,uid,gid,size,rdev,lastModifiedTime",
            LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) st.get("mode");
        StringBuilder sb = new StringBuilder();
        sb.append(Integer.toOctalString(mode)).append(' ').append(st.get("uid")).append(':').append(st.get("gid"));
        int format = mode & 0170000;
        if (format == 0100000) {
          sb.append(" size=").append(st.get("size")).append(" sha256=").append(sha256(Files.readAllBytes(p)));
        } else if (format == 0120000) {
          sb.append(" -> ").append(Files.readSymbolicLink(p));
        } else if (format == 0020000 || format == 0060000) {
          sb.append(" rdev=").append(st.get("rdev"));
        }
        if (format != 0040000) {
          sb.append(" mtime=").append(((FileTime) st.get("lastModifiedTime")).toInstant().getEpochSecond());
        }
        for (String x : new TreeMap<>(xattrs(p)).keySet()) {
          sb.append(' ').append(x).append('=').append(HexFormat.of().formatHex(Libc.lgetxattr(p, x)));
        }
        tree.put(root.relativize(p).toString(), sb.toString());
      }
    }
    return tree;
  }

  private static Map<String, byte[]> xattrs(Path p) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    for (String x : Libc.llistxattr(p)) {
      if (!x.startsWith("trusted.overlay.") && !x.equals("security.selinux")) {
        m.put(x, Libc.lgetxattr(p, x));
      }
    }
    return m;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static void assertTreesEqual(Path expected, Path actual) throws IOException {
    assertEquals(describe(expected), describe(actual), "file trees differ: " + expected + " vs " + actual);
  }
}
