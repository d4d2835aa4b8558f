package dev.jbuild.nativeexec;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The fallback where overlayfs cannot be mounted: the layers are copied into the target, and on
 * close the difference is written into the upper dir in overlayfs' own format (whiteout devices
 * for deletions), so {@link LayerWriter} reads both snapshotters' results alike. Slow for big
 * images, but correct. A change is detected by inode and ctime, which every write, chmod,
 * chown, rename or xattr update moves and no program can set back.
 */
final class CopyingSnapshotter implements Snapshotter {
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;

  @Override
  public String name() {
    return "copy";
  }

  @Override
  public MountedRoot mount(List<Path> lowers, Path upper, Path work, Path target) throws IOException {
    Files.createDirectories(target);
    try (Stream<Path> s = Files.list(target)) {
      if (s.findAny().isPresent()) {
        throw new IOException("cannot make a root filesystem in " + target + ": it is not empty");
      }
    }
    for (int i = lowers.size() - 1; i >= 0; i--) { // bottom-most first
      apply(lowers.get(i), target);
    }
    apply(upper, target); // changes from an earlier use of the same upper dir
    return new CopiedRoot(target, upper, stamps(target));
  }

  /** Copies one layer dir onto target, honouring its whiteouts and opaque directories. */
  private static void apply(Path layer, Path target) throws IOException {
    Map<List<Object>, Path> links = new HashMap<>();
    Deque<Map.Entry<Path, FileTime>> dirTimes = new ArrayDeque<>();
    Files.walkFileTree(layer, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Path dst = target.resolve(layer.relativize(dir).toString());
        if (!dir.equals(layer)) {
          byte[] opaque = Libc.lgetxattr(dir, UserNamespace.opaqueXattr());
          if (opaque != null && opaque.length > 0 && opaque[0] == 'y') {
            LayerReader.removeRecursively(dst);
          }
        }
        copyEntry(dir, dst, links);
        dirTimes.push(Map.entry(dst, attrs.lastModifiedTime()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Path dst = target.resolve(layer.relativize(file).toString());
        if (isWhiteout(file)) {
          LayerReader.removeRecursively(dst);
        } else {
          copyEntry(file, dst, links);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    for (Map.Entry<Path, FileTime> d : dirTimes) { // deepest first: children no longer touch them
      Libc.setTimes(d.getKey(), d.getValue().toInstant(), d.getValue().toInstant());
    }
  }

  /** Replaces dst with a copy of src itself (not its children), with owner, mode, xattrs and times. */
  static void copyEntry(Path src, Path dst, Map<List<Object>, Path> links) throws IOException {
    Map<String, Object> st = Files.readAttributes(src, "unix:mode,uid,gid,rdev,nlink,ino,dev,lastModifiedTime,lastAccessTime",
        LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) st.get("mode");
    int format = mode & S_IFMT;
    BasicFileAttributes existing = attributes(dst);
    if (existing != null && !(existing.isDirectory() && format == S_IFDIR)) {
      LayerReader.removeRecursively(dst);
    }
    switch (format) {
      case S_IFDIR -> {
        if (existing == null || !existing.isDirectory()) {
          Files.createDirectory(dst);
        }
      }
      case S_IFREG -> {
        if ((Integer) st.get("nlink") > 1) {
          Path first = links.putIfAbsent(List.of(st.get("dev"), st.get("ino")), dst);
          if (first != null) {
            Files.createLink(dst, first);
            return;
          }
        }
        Files.copy(src, dst, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.REPLACE_EXISTING);
      }
      case S_IFLNK -> Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
      case S_IFCHR, S_IFBLK, S_IFIFO -> Libc.mknod(dst, mode, (Long) st.get("rdev"));
      default -> {
        return; // sockets are not copied
      }
    }
    Libc.lchown(dst, ((Integer) st.get("uid")) & 0xffffffffL, ((Integer) st.get("gid")) & 0xffffffffL);
    if (format != S_IFLNK) {
      Libc.chmod(dst, mode);
    }
    for (String x : Libc.llistxattr(src)) {
      if (!UserNamespace.isOverlayXattr(x)) {
        byte[] v = Libc.lgetxattr(src, x);
        if (v != null) {
          Libc.lsetxattr(dst, x, v);
        }
      }
    }
    Libc.setTimes(dst, ((FileTime) st.get("lastAccessTime")).toInstant(), ((FileTime) st.get("lastModifiedTime")).toInstant());
  }

  static boolean isWhiteout(Path p) throws IOException {
    Map<String, Object> st = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    return ((Integer) st.get("mode") & S_IFMT) == S_IFCHR && (Long) st.get("rdev") == 0;
  }

  /** What identifies a file's state: its inode and its ctime (moved by any change). */
  private record Stamp(Object inode, Object ctime, int format) {}

  private static TreeMap<String, Stamp> stamps(Path root) throws IOException {
    TreeMap<String, Stamp> stamps = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (p.equals(root)) {
          continue;
        }
        Map<String, Object> st = Files.readAttributes(p, "unix:ino,ctime,mode", LinkOption.NOFOLLOW_LINKS);
        stamps.put(root.relativize(p).toString(),
            new Stamp(st.get("ino"), st.get("ctime"), (Integer) st.get("mode") & S_IFMT));
      }
    }
    return stamps;
  }

  private static BasicFileAttributes attributes(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** A copied root; closing records its changes in the upper dir and empties it, like an unmount. */
  private static final class CopiedRoot implements MountedRoot {
    private final Path target;
    private final Path upper;
    private final TreeMap<String, Stamp> before;
    private boolean open = true;

    CopiedRoot(Path target, Path upper, TreeMap<String, Stamp> before) {
      this.target = target;
      this.upper = upper;
      this.before = before;
    }

    @Override
    public Path path() {
      return target;
    }

    @Override
    public synchronized void close() throws IOException {
      if (!open) {
        return;
      }
      TreeMap<String, Stamp> after = stamps(target);
      Map<List<Object>, Path> links = new HashMap<>();
      List<String> changedDirs = new ArrayList<>();
      Set<String> replacedDirs = new HashSet<>();
      for (Map.Entry<String, Stamp> e : after.entrySet()) {
        Stamp old = before.get(e.getKey());
        if (!Objects.equals(old, e.getValue())) {
          ensureParents(e.getKey());
          Path u = upper.resolve(e.getKey());
          copyEntry(target.resolve(e.getKey()), u, links);
          if (e.getValue().format() == S_IFDIR) {
            changedDirs.add(e.getKey());
            if (old != null && old.format() == S_IFDIR
                && (!old.inode().equals(e.getValue().inode()) || allChildrenGone(e.getKey(), after))) {
              // deleted and made again (inode numbers get reused, so also: nothing old is left):
              // like overlayfs, hide everything the lower dir held
              Libc.lsetxattr(u, UserNamespace.opaqueXattr(), new byte[] {'y'});
              replacedDirs.add(e.getKey());
            }
          }
        }
      }
      for (String gone : before.keySet()) {
        if (!after.containsKey(gone) && needsWhiteout(gone, after, replacedDirs)) {
          ensureParents(gone);
          Path p = upper.resolve(gone);
          LayerReader.removeRecursively(p);
          Libc.mknod(p, S_IFCHR, 0);
        }
      }
      for (int i = changedDirs.size() - 1; i >= 0; i--) { // adding children above moved their mtimes
        String d = changedDirs.get(i);
        FileTime m = Files.getLastModifiedTime(target.resolve(d), LinkOption.NOFOLLOW_LINKS);
        Libc.setTimes(upper.resolve(d), m.toInstant(), m.toInstant());
      }
      try (Stream<Path> children = Files.list(target)) {
        for (Path c : (Iterable<Path>) children::iterator) {
          LayerReader.removeRecursively(c);
        }
      }
      open = false;
    }

    private boolean allChildrenGone(String dir, Map<String, Stamp> after) {
      boolean any = false;
      for (String child : before.subMap(dir + "/", dir + "0").keySet()) { // '0' follows '/'
        if (child.indexOf('/', dir.length() + 1) < 0) {
          any = true;
          if (after.containsKey(child)) {
            return false;
          }
        }
      }
      return any;
    }

    /** A deleted directory needs one whiteout, none for what was inside; an opaque one needs none. */
    private static boolean needsWhiteout(String rel, Map<String, Stamp> after, Set<String> replacedDirs) {
      int slash = rel.lastIndexOf('/');
      if (slash < 0) {
        return true;
      }
      String parent = rel.substring(0, slash);
      return after.containsKey(parent) && !replacedDirs.contains(parent);
    }

    private void ensureParents(String rel) throws IOException {
      String[] parts = rel.split("/");
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < parts.length - 1; i++) {
        sb.append(i == 0 ? "" : "/").append(parts[i]);
        Path u = upper.resolve(sb.toString());
        BasicFileAttributes a = attributes(u);
        if (a == null || !a.isDirectory()) {
          copyEntry(target.resolve(sb.toString()), u, new HashMap<>());
        }
      }
    }

    @Override
    public String toString() {
      return "copied root at " + target;
    }
  }
}
