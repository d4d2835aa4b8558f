package dev.jbuild.nativeexec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Turns the changes recorded in an overlayfs upper dir into an OCI layer tar. The output depends
 * only on the files' content and metadata (and SOURCE_DATE_EPOCH), never on directory order or
 * the machine: entries are sorted, owners numeric, times whole seconds, atime/ctime absent.
 */
public final class LayerWriter {
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;
  private static final String ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime,rdev,nlink,ino,dev";
  /** The host's SELinux label says nothing about the image and would make layers machine-specific. */
  private static final String SELINUX_XATTR = "security.selinux";

  private final Optional<Instant> sourceDateEpoch;

  public LayerWriter(Optional<Instant> sourceDateEpoch) {
    this.sourceDateEpoch = sourceDateEpoch;
  }

  /**
   * Writes the changes in {@code upperDir} as an uncompressed layer tar to {@code out} (not closed).
   *
   * @param skipIfUnchanged root-relative paths the executor created only as mount points (see
   *     {@link ExecResult#createdPaths()}): left out while still an empty file, or a directory
   *     holding nothing but other left-out paths
   */
  public void write(Path upperDir, Set<String> skipIfUnchanged, OutputStream out) throws IOException {
    Path root = upperDir.toRealPath();
    Set<String> skipped = unchangedMountPoints(root, skipIfUnchanged);
    TarWriter tar = new TarWriter(out);
    writeChildren(tar, root, "", skipped, new HashMap<>());
    tar.finish();
  }

  /**
   * Writes the entries below dir in order of their tar names, so whiteouts ({@code .wh.x}) and
   * the opaque marker sort among the real entries exactly as their names say.
   */
  private void writeChildren(TarWriter tar, Path dir, String prefix, Set<String> skipped,
      Map<List<Object>, String> firstLinks) throws IOException {
    TreeMap<String, Child> children = new TreeMap<>();
    if (!prefix.isEmpty() && isOpaque(dir)) { // the directory replaced the lower one: nothing below shows through
      children.put(LayerReader.OPAQUE_MARKER, new Child(null, true, Map.of()));
    }
    try (Stream<Path> list = Files.list(dir)) {
      for (Path c : (Iterable<Path>) list::iterator) {
        String name = c.getFileName().toString();
        if (skipped.contains(join(prefix, name))) {
          continue;
        }
        // read once: what tells a whiteout apart is also what its entry is written from
        Map<String, Object> st = Files.readAttributes(c, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        boolean whiteout = ((Integer) st.get("mode") & S_IFMT) == S_IFCHR && (Long) st.get("rdev") == 0;
        children.put(whiteout ? LayerReader.WHITEOUT_PREFIX + name : name, new Child(c, whiteout, st));
      }
    }
    for (Map.Entry<String, Child> child : children.entrySet()) {
      String rel = join(prefix, child.getKey());
      Child c = child.getValue();
      if (c.marker()) { // opaque marker or whiteout: an empty file, times from what it stands for
        Path timeSource = c.path() == null ? dir : c.path();
        Instant mtime = clamp(Files.getLastModifiedTime(timeSource, LinkOption.NOFOLLOW_LINKS).toInstant());
        tar.write(TarEntry.of(rel, TarEntry.Type.FILE, 0, 0, 0, mtime), null);
      } else {
        writeEntry(tar, c.path(), c.attributes(), rel, skipped, firstLinks);
      }
    }
  }

  /** A directory's child: a real file, or (marker) a whiteout device or the opaque marker; its lstat. */
  private record Child(Path path, boolean marker, Map<String, Object> attributes) {}

  private void writeEntry(TarWriter tar, Path p, Map<String, Object> st, String rel, Set<String> skipped,
      Map<List<Object>, String> firstLinks) throws IOException {
    int mode = (Integer) st.get("mode");
    long uid = ((Integer) st.get("uid")) & 0xffffffffL;
    long gid = ((Integer) st.get("gid")) & 0xffffffffL;
    Instant mtime = clamp(((FileTime) st.get("lastModifiedTime")).toInstant());
    int format = mode & S_IFMT;
    TreeMap<String, byte[]> xattrs = new TreeMap<>();
    for (String x : Libc.llistxattr(p)) {
      if (UserNamespace.isOverlayXattr(x) && (x.endsWith(".redirect") || x.endsWith(".metacopy"))) {
        throw new IOException(rel + " carries " + x + ": the overlay was mounted with redirect_dir or"
            + " metacopy, so its upper dir does not hold the whole change");
      }
      if (!UserNamespace.isOverlayXattr(x) && !x.equals(SELINUX_XATTR)) {
        byte[] v = Libc.lgetxattr(p, x);
        if (v != null) {
          xattrs.put(x, v);
        }
      }
    }
    TarEntry base = TarEntry.of(rel, TarEntry.Type.FILE, mode & 07777, uid, gid, mtime).withXattrs(xattrs);
    switch (format) {
      case S_IFDIR -> {
        tar.write(new TarEntry(rel, TarEntry.Type.DIRECTORY, base.mode(), uid, gid, 0, mtime, "", 0, 0, xattrs), null);
        writeChildren(tar, p, rel, skipped, firstLinks);
      }
      case S_IFREG -> {
        if ((Integer) st.get("nlink") > 1) {
          String first = firstLinks.putIfAbsent(List.of(st.get("dev"), st.get("ino")), rel);
          if (first != null) {
            tar.write(new TarEntry(rel, TarEntry.Type.HARDLINK, base.mode(), uid, gid, 0, mtime, first, 0, 0, null), null);
            return;
          }
        }
        try (FileChannel in = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
          tar.write(base.withSize((Long) st.get("size")), in);
        }
      }
      case S_IFLNK -> tar.write(base.withLink(Files.readSymbolicLink(p).toString()).withType(TarEntry.Type.SYMLINK), null);
      case S_IFCHR, S_IFBLK -> {
        long rdev = (Long) st.get("rdev");
        TarEntry.Type t = format == S_IFCHR ? TarEntry.Type.CHAR_DEVICE : TarEntry.Type.BLOCK_DEVICE;
        tar.write(base.withType(t).withDevice(Libc.major(rdev), Libc.minor(rdev)), null);
      }
      case S_IFIFO -> tar.write(base.withType(TarEntry.Type.FIFO), null);
      default -> { } // sockets live only as long as their process; images never carry them
    }
  }

  private static boolean isOpaque(Path dir) throws IOException {
    byte[] v = Libc.lgetxattr(dir, UserNamespace.opaqueXattr());
    return v != null && v.length > 0 && v[0] == 'y';
  }

  private Instant clamp(Instant t) {
    Instant seconds = Instant.ofEpochSecond(t.getEpochSecond());
    return sourceDateEpoch.filter(seconds::isAfter).map(e -> Instant.ofEpochSecond(e.getEpochSecond())).orElse(seconds);
  }

  /**
   * Which of the executor's mount points are still as it made them: an empty regular file, or a
   * directory whose children are all such paths. Decided deepest first so parents see children.
   */
  static Set<String> unchangedMountPoints(Path root, Set<String> candidates) throws IOException {
    List<String> sorted = new ArrayList<>();
    for (String c : candidates) {
      String n = trimSlashes(c);
      if (!n.isEmpty()) {
        sorted.add(n);
      }
    }
    sorted.sort(Comparator.comparingInt((String s) -> s.split("/").length).reversed().thenComparing(Comparator.naturalOrder()));
    Set<String> unchanged = new HashSet<>();
    for (String rel : sorted) {
      Path p = root.resolve(rel);
      Map<String, Object> st;
      try {
        st = Files.readAttributes(p, "unix:mode,size", LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        continue;
      }
      int format = (Integer) st.get("mode") & S_IFMT;
      if (format == S_IFREG && (Long) st.get("size") == 0) {
        unchanged.add(rel);
      } else if (format == S_IFDIR) {
        String[] children = p.toFile().list();
        if (children != null && Arrays.stream(children).allMatch(ch -> unchanged.contains(rel + "/" + ch))) {
          unchanged.add(rel);
        }
      }
    }
    return unchanged;
  }

  private static String trimSlashes(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && s.charAt(a) == '/') {
      a++;
    }
    while (b > a && s.charAt(b - 1) == '/') {
      b--;
    }
    return s.substring(a, b);
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }

}
