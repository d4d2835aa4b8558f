package dev.jbuild.nativeexec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Unpacks an OCI layer into a directory that can serve as an overlayfs lower dir: whiteouts
 * become what overlayfs itself writes (a 0/0 character device, or {@code trusted.overlay.opaque=y}
 * on a directory; {@code user.overlay.opaque} in a user namespace), so a stack of unpacked layers mounts as the image's root filesystem.
 */
public final class LayerReader {
  static final String WHITEOUT_PREFIX = ".wh.";
  static final String OPAQUE_MARKER = ".wh..wh..opq";
  private static final int MAX_SYMLINK_HOPS = 40;

  private final LayerLimits limits;

  /** Bounded by {@link LayerLimits} from this process's environment. */
  public LayerReader() {
    this(LayerLimits.fromEnvironment(System.getenv()));
  }

  public LayerReader(LayerLimits limits) {
    this.limits = limits;
  }

  /**
   * Unpacks one layer (an uncompressed tar stream) into {@code dir}, which should be empty.
   * Ownership is numeric, modes keep setuid/setgid/sticky, symlinks are never followed out of
   * {@code dir}, hardlinks stay within it.
   *
   * @throws LayerException when an entry would land outside {@code dir} or the tar is malformed
   */
  public void unpack(InputStream tar, Path dir) throws IOException, LayerException {
    Path root = dir.toRealPath();
    TarReader reader = new TarReader(limits.bounded(tar));
    List<Map.Entry<Path, Instant>> directoryTimes = new ArrayList<>();
    TarEntry entry;
    long entries = 0;
    while ((entry = reader.next()) != null) {
      if (++entries > limits.maxEntries()) {
        throw new LayerException("the layer has more than " + limits.maxEntries() + " entries (the limit; raise it with "
            + LayerLimits.ENTRIES_VARIABLE + ")");
      }
      List<String> parts = components(entry.name());
      if (parts.isEmpty()) {
        if (entry.type() == TarEntry.Type.DIRECTORY) { // "./": the layer's root directory itself
          applyMetadata(root, entry);
          directoryTimes.add(Map.entry(root, entry.mtime()));
        }
        continue;
      }
      String base = parts.get(parts.size() - 1);
      Path parent = resolveDirectory(root, parts.subList(0, parts.size() - 1), entry.name());
      if (base.equals(OPAQUE_MARKER)) {
        Libc.lsetxattr(parent, UserNamespace.opaqueXattr(), "y".getBytes(StandardCharsets.US_ASCII));
        continue;
      }
      if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
        continue; // other aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs): meaningless here
      }
      if (base.startsWith(WHITEOUT_PREFIX)) {
        String victim = base.substring(WHITEOUT_PREFIX.length());
        if (victim.isEmpty() || victim.equals(".") || victim.equals("..")) {
          throw new LayerException("layer entry " + entry.name() + " is not a valid whiteout");
        }
        Path p = parent.resolve(victim);
        removeRecursively(p);
        Libc.mknod(p, Libc.S_IFCHR, 0);
        Libc.setTimes(p, entry.mtime(), entry.mtime()); // so that writing the layer again gives the same bytes
        continue;
      }
      Path target = parent.resolve(base);
      create(root, target, entry, reader);
      if (entry.type() == TarEntry.Type.DIRECTORY) {
        directoryTimes.add(Map.entry(target, entry.mtime()));
      }
    }
    // Directory mtimes last: creating the children above changed them.
    directoryTimes.sort(Comparator.comparingInt((Map.Entry<Path, Instant> e) -> e.getKey().getNameCount()).reversed());
    for (Map.Entry<Path, Instant> d : directoryTimes) {
      Libc.setTimes(d.getKey(), d.getValue(), d.getValue());
    }
  }

  private void create(Path root, Path target, TarEntry entry, TarReader reader) throws IOException, LayerException {
    // a user namespace may not make devices (rootless); the runtime gives /dev its own
    if (createNode(root, target, entry, reader, made -> { }, UserNamespace.isNested())) {
      applyMetadata(target, entry);
    }
  }

  /**
   * Makes the file, directory, link or special file of one entry at {@code target}, replacing
   * what is there as tar does. Hardlink sources are resolved inside {@code root}.
   *
   * @param onCreate learns each parent directory made while resolving a hardlink source
   * @param devicesOptional skip a device node this process may not create instead of failing
   * @return whether the entry still needs its metadata (false for hardlinks, which share their
   *     source's inode, and for skipped devices)
   */
  static boolean createNode(Path root, Path target, TarEntry entry, TarReader reader, java.util.function.Consumer<Path> onCreate,
      boolean devicesOptional) throws IOException, LayerException {
    BasicFileAttributes existing = attributes(target);
    if (existing != null && !(existing.isDirectory() && entry.type() == TarEntry.Type.DIRECTORY)) {
      removeRecursively(target); // a later entry replaces an earlier one, as tar does
    }
    switch (entry.type()) {
      case DIRECTORY -> {
        if (existing == null || !existing.isDirectory()) {
          Files.createDirectory(target);
        }
      }
      case FILE -> {
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          reader.content().transferTo(out);
        }
      }
      case SYMLINK -> Files.createSymbolicLink(target, target.getFileSystem().getPath(entry.linkName()));
      case HARDLINK -> {
        List<String> linkParts = components(entry.linkName());
        if (linkParts.isEmpty()) {
          throw new LayerException("layer entry " + entry.name() + " is a hardlink to the root directory");
        }
        Path linkParent = resolveDirectory(root, linkParts.subList(0, linkParts.size() - 1), entry.linkName(), onCreate);
        Path source = linkParent.resolve(linkParts.get(linkParts.size() - 1));
        BasicFileAttributes s = attributes(source);
        if (s == null || s.isDirectory()) {
          throw new LayerException("layer entry " + entry.name() + " is a hardlink to " + entry.linkName()
              + ", which is not an earlier file of the layer");
        }
        Files.createLink(target, source);
        return false;
      }
      case CHAR_DEVICE, BLOCK_DEVICE -> {
        int kind = entry.type() == TarEntry.Type.CHAR_DEVICE ? Libc.S_IFCHR : Libc.S_IFBLK;
        try {
          Libc.mknod(target, kind | (entry.mode() & 0777), Libc.makedev(entry.devMajor(), entry.devMinor()));
        } catch (IOException e) {
          if (devicesOptional) {
            return false;
          }
          throw e;
        }
      }
      case FIFO -> Libc.mknod(target, Libc.S_IFIFO | (entry.mode() & 0777), 0);
      default -> throw new LayerException("layer entry " + entry.name() + " has an unsupported type");
    }
    return true;
  }

  /** Owner first: chown clears setuid/setgid, so the mode goes on after it. */
  private static void applyMetadata(Path target, TarEntry entry) throws IOException {
    Libc.lchown(target, entry.uid(), entry.gid());
    if (entry.type() != TarEntry.Type.SYMLINK) {
      Libc.chmod(target, entry.mode());
    }
    for (Map.Entry<String, byte[]> x : entry.xattrs().entrySet()) {
      if (!UserNamespace.isOverlayXattr(x.getKey())) { // overlayfs' bookkeeping: a layer must never smuggle it in
        Libc.lsetxattr(target, x.getKey(), x.getValue());
      }
    }
    if (entry.type() != TarEntry.Type.DIRECTORY) {
      Libc.setTimes(target, entry.mtime(), entry.mtime());
    }
  }

  /**
   * The components of an entry name, without "." and empty ones.
   *
   * @throws LayerException for absolute names and ".." components
   */
  static List<String> components(String name) throws LayerException {
    if (name.startsWith("/")) {
      throw escapes(name);
    }
    List<String> parts = new ArrayList<>();
    for (String p : name.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..") || p.indexOf('\0') >= 0) {
        throw escapes(name);
      }
      parts.add(p);
    }
    return parts;
  }

  /**
   * Resolves a parent path inside root the way the container will see it: symlinks are followed
   * with root as "/" (an absolute target stays inside root); a ".." that would climb above root
   * means the entry escapes. Missing directories are created (tars may omit parent entries).
   */
  static Path resolveDirectory(Path root, List<String> parts, String entryName) throws IOException, LayerException {
    return resolveDirectory(root, parts, entryName, created -> { });
  }

  /** As above; {@code onCreate} learns each directory made along the way. */
  static Path resolveDirectory(Path root, List<String> parts, String entryName, java.util.function.Consumer<Path> onCreate)
      throws IOException, LayerException {
    Deque<String> todo = new ArrayDeque<>(parts);
    Deque<String> resolved = new ArrayDeque<>();
    int hops = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (resolved.isEmpty()) {
          throw escapes(entryName);
        }
        resolved.pollLast();
        continue;
      }
      Path p = join(root, resolved).resolve(c);
      BasicFileAttributes a = attributes(p);
      if (a == null) {
        Files.createDirectory(p);
        onCreate.accept(p);
        resolved.addLast(c);
      } else if (a.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS) {
          throw new LayerException("layer entry " + entryName + " goes through too many symlinks");
        }
        String link = Files.readSymbolicLink(p).toString();
        if (link.startsWith("/")) {
          resolved.clear();
        }
        String[] linkParts = link.split("/");
        for (int i = linkParts.length - 1; i >= 0; i--) {
          todo.addFirst(linkParts[i]);
        }
      } else if (a.isDirectory()) {
        resolved.addLast(c);
      } else {
        throw new LayerException("layer entry " + entryName + " lies under " + root.relativize(p)
            + ", which is not a directory");
      }
    }
    return join(root, resolved);
  }

  private static Path join(Path root, Deque<String> parts) {
    Path p = root;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }

  private static LayerException escapes(String name) {
    return new LayerException("layer entry " + name + " escapes the root");
  }

  private static BasicFileAttributes attributes(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Deletes p and, for a real directory, its contents; never follows symlinks. */
  static void removeRecursively(Path p) throws IOException {
    BasicFileAttributes a = attributes(p);
    if (a == null) {
      return;
    }
    if (!a.isDirectory()) {
      Files.delete(p);
      return;
    }
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
