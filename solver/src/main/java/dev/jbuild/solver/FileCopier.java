package dev.jbuild.solver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Dockerfile COPY semantics over two directory trees, as BuildKit's file op does them: a source
 * file goes to the destination (or into it when it is a directory or ends with '/'); a source
 * directory's contents (not the directory itself) are merged into the destination; modes and
 * mtimes are kept; owners become {@code chown} (root by default), and so do the directories the
 * copy creates; symlinks inside sources are copied as links, a file copied onto an existing
 * symlink is written through it; files hardlinked in the source stay hardlinked. Every
 * destination path is resolved inside the destination root, so no symlink leads outside it.
 */
final class FileCopier {
  private final Op.Ownership owner;
  private final Optional<Integer> chmod;
  private final boolean unpackArchives;
  private final PathFilter exclude;
  private final boolean keepParents;
  /** Source inode (of a file with several links) → its first copy, to link the others to it. */
  private final Map<Object, Path> copiedLinks = new HashMap<>();
  /** Destination parent path → its resolved directory, so a directory's files resolve it once. */
  private final Map<String, Path> resolvedParents = new HashMap<>();
  /** Resolved parents known to exist in the upper dir. */
  private final Set<Path> upperParents = new HashSet<>();
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;
  /** Set by {@link #copyDeferring}: files left for the upper dir, the upper dir, the mounted root. */
  private DeferredFiles deferred;
  private Path upperRoot;
  private Path mergedRoot;

  FileCopier(Optional<Op.Ownership> chown, Optional<Integer> chmod, boolean unpackArchives) {
    this(chown, chmod, unpackArchives, PathFilter.NONE, false);
  }

  FileCopier(Optional<Op.Ownership> chown, Optional<Integer> chmod, boolean unpackArchives, PathFilter exclude,
      boolean keepParents) {
    this.owner = chown.orElse(Op.Ownership.ROOT);
    this.chmod = chmod;
    this.unpackArchives = unpackArchives;
    this.exclude = exclude;
    this.keepParents = keepParents;
  }

  void copy(Path srcRoot, PathFilter filter, List<String> sources, Path destRoot, String destination)
      throws IOException, SourceSelection.SourceNotFoundException {
    if (keepParents) {
      copyWithParents(srcRoot, filter, sources, destRoot, destination);
      return;
    }
    List<SourceSelection.Selected> selected = new ArrayList<>();
    for (String s : sources) {
      selected.addAll(select(srcRoot, s, filter));
    }
    boolean destIsDir = destination.endsWith("/") || selected.size() > 1
        || Files.isDirectory(RootPath.resolve(destRoot, destination, true));
    if (destIsDir) {
      String dir = withoutSlash(destination);
      RootPath.mkdirs(destRoot, dir, 0755, owner);
      for (SourceSelection.Selected s : selected) {
        Path src = followTop(srcRoot, s);
        if (Files.isDirectory(src)) {
          copyTree(s, src, destRoot, dir, filter);
        } else if (!unpacked(src, destRoot, dir)) {
          copyEntry(src, destRoot, child(dir, src.getFileName().toString()), filter);
        }
      }
      return;
    }
    if (selected.isEmpty()) {
      return; // every match was excluded
    }
    Path src = followTop(srcRoot, selected.get(0));
    if (Files.isDirectory(src)) {
      RootPath.mkdirs(destRoot, destination, 0755, owner);
      copyTree(selected.get(0), src, destRoot, destination, filter);
    } else if (!unpacked(src, destRoot, destination)) {
      RootPath.mkdirs(destRoot, RootPath.parentOf(destination), 0755, owner);
      copyEntry(src, destRoot, destination, filter);
    }
  }

  /** The sources a pattern selects; glob matches that {@code --exclude} names are left out. */
  private List<SourceSelection.Selected> select(Path srcRoot, String source, PathFilter filter)
      throws IOException, SourceSelection.SourceNotFoundException {
    List<SourceSelection.Selected> all = SourceSelection.select(srcRoot, source, filter);
    if (!SourceSelection.hasGlob(source)) {
      return all;
    }
    return all.stream().filter(s -> !exclude.excludes(s.relative())).toList();
  }

  /**
   * {@code COPY --parents}: each selected source keeps its path relative to the source root, or
   * to the {@code /./} pivot in the pattern, under the destination directory.
   */
  private void copyWithParents(Path srcRoot, PathFilter filter, List<String> sources, Path destRoot,
      String destination) throws IOException, SourceSelection.SourceNotFoundException {
    String dir = withoutSlash(destination);
    RootPath.mkdirs(destRoot, dir, 0755, owner);
    for (String source : sources) {
      int pivot = source.indexOf("/./");
      String strip = pivot < 0 ? "" : SourceSelection.clean(source.substring(0, pivot));
      for (SourceSelection.Selected s : select(srcRoot, source, filter)) {
        String rel = s.relative();
        if (!strip.equals(".") && !strip.isEmpty() && rel.startsWith(strip + "/")) {
          rel = rel.substring(strip.length() + 1);
        }
        String target = rel.equals(".") ? dir : child(dir, rel);
        Path src = followTop(srcRoot, s);
        if (Files.isDirectory(src)) {
          RootPath.mkdirs(destRoot, target, 0755, owner);
          copyTree(s, src, destRoot, target, filter);
        } else {
          RootPath.mkdirs(destRoot, RootPath.parentOf(target), 0755, owner);
          copyEntry(src, destRoot, target, filter);
        }
      }
    }
  }

  /** ADD: extracts {@code src} into the destination directory if it is a tar archive. */
  private boolean unpacked(Path src, Path destRoot, String destination) throws IOException {
    if (!unpackArchives) {
      return false;
    }
    Optional<String> compression = ArchiveExtractor.detect(src);
    if (compression.isEmpty()) {
      return false;
    }
    ArchiveExtractor.extract(src, compression.get(), destRoot, destination, owner);
    return true;
  }

  /** The top-level source is followed when it is a symlink, staying inside the source root. */
  private static Path followTop(Path srcRoot, SourceSelection.Selected s) throws IOException {
    if (!Files.isSymbolicLink(s.path())) {
      return s.path();
    }
    return RootPath.resolve(srcRoot, s.relative(), true);
  }

  private void copyTree(SourceSelection.Selected s, Path srcDir, Path destRoot, String destDir, PathFilter filter)
      throws IOException {
    List<String> excludedDirs = new ArrayList<>();
    for (SourceSelection.Entry e : SourceSelection.walk(s, srcDir, filter)) {
      String rel = e.relative();
      if (rel.isEmpty() || isExcluded(rel, excludedDirs, e.path())) {
        continue;
      }
      copyEntry(e.path(), destRoot, child(destDir, rel), filter);
    }
  }

  /** Whether {@code --exclude} names the entry or a directory above it (entries come parents first). */
  private boolean isExcluded(String rel, List<String> excludedDirs, Path path) {
    for (String d : excludedDirs) {
      if (rel.startsWith(d + "/")) {
        return true;
      }
    }
    if (exclude.excludes(rel)) {
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        excludedDirs.add(rel);
      }
      return true;
    }
    return false;
  }

  /**
   * As {@link #copy}, but plain new regular files are left in the returned {@link DeferredFiles} to
   * be written straight into {@code upper} (the mounted root's upper dir) once it is unmounted.
   */
  DeferredFiles copyDeferring(Path srcRoot, PathFilter filter, List<String> sources, Path destRoot, Path upper,
      String destination) throws IOException, SourceSelection.SourceNotFoundException {
    this.deferred = new DeferredFiles();
    this.upperRoot = upper;
    this.mergedRoot = destRoot;
    copy(srcRoot, filter, sources, destRoot, destination);
    return deferred;
  }

  /** @param filter how the source presents modes ({@code --context-perms=git}) */
  private void copyEntry(Path src, Path destRoot, String path, PathFilter filter) throws IOException {
    // one stat of the source for type, mode, link count and mtime
    Map<String, Object> a = Files.readAttributes(src, "unix:mode,nlink,ino,dev,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    int rawMode = (Integer) a.get("mode");
    int type = rawMode & S_IFMT;
    boolean isDir = type == S_IFDIR;
    FileTime mtime = (FileTime) a.get("lastModifiedTime");
    Path parentDir = parentDir(destRoot, path);
    Path dest = parentDir.resolve(path.substring(path.lastIndexOf('/') + 1));
    boolean exists = Files.exists(dest, LinkOption.NOFOLLOW_LINKS);
    int mode = chmod.orElse(filter.presentedMode(rawMode & 07777, isDir));
    if (type == S_IFREG && !exists && (Integer) a.get("nlink") == 1 && deferrable(parentDir)) {
      deferred.add(upperPath(dest), src, mode, owner, mtime);
      return;
    }
    if (type != S_IFLNK && exists && Files.isSymbolicLink(dest)) {
      Path through = RootPath.resolve(destRoot, path, true);
      boolean fits = isDir ? Files.isDirectory(through)
          : !Files.isDirectory(through) && Files.isDirectory(through.getParent());
      if (fits) {
        dest = through; // BuildKit writes through an existing symlink
        exists = Files.exists(dest, LinkOption.NOFOLLOW_LINKS);
      }
    }
    if (deferred != null && dest.startsWith(mergedRoot)) {
      deferred.overwritten(upperPath(dest));
    }
    if (exists && !(isDir && Files.isDirectory(dest))) {
      if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("cannot replace directory " + path + " with a non-directory");
      }
      Files.delete(dest);
      resolvedParents.clear(); // a symlink on the way may have gone
    }
    if (type == S_IFLNK) {
      Files.createSymbolicLink(dest, Files.readSymbolicLink(src));
      Files.setAttribute(dest, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(dest, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
      return;
    }
    if (isDir) {
      if (!Files.isDirectory(dest)) {
        Files.createDirectory(dest);
      }
    } else if (type == S_IFREG) {
      Object inode = (Integer) a.get("nlink") > 1 ? List.of(a.get("dev"), a.get("ino")) : null;
      Path first = inode == null ? null : copiedLinks.get(inode);
      if (first != null) {
        Files.createLink(dest, first);
        return;
      }
      Files.copy(src, dest, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      if (inode != null) {
        copiedLinks.put(inode, dest);
      }
    } else {
      throw new IOException("cannot copy " + src.getFileName() + ": not a regular file, directory or symlink");
    }
    FileModes.set(dest, mode, owner);
    Files.setLastModifiedTime(dest, FileTime.from(mtime.toInstant()));
  }

  /** The resolved parent directory of {@code path} in the destination, made when missing; remembered per parent. */
  private Path parentDir(Path destRoot, String path) throws IOException {
    String parent = RootPath.parentOf(path);
    Path known = resolvedParents.get(parent);
    if (known != null) {
      return known;
    }
    Path parentDir = RootPath.resolve(destRoot, parent, true);
    if (!Files.isDirectory(parentDir)) {
      // a file re-included below an excluded directory still needs its parents
      parentDir = RootPath.mkdirs(destRoot, parent, 0755, owner);
    }
    resolvedParents.put(parent, parentDir);
    return parentDir;
  }

  /** Whether a file in {@code parentDir} (of the merged root) can be written into the upper dir directly. */
  private boolean deferrable(Path parentDir) {
    if (deferred == null || !parentDir.startsWith(mergedRoot)) {
      return false;
    }
    // a parent only in a lower layer is copied up by the first file written through the mount
    return upperParents.contains(parentDir)
        || (Files.isDirectory(upperRoot.resolve(upperPath(parentDir)), LinkOption.NOFOLLOW_LINKS) && upperParents.add(parentDir));
  }

  private String upperPath(Path merged) {
    return mergedRoot.relativize(merged).toString();
  }

  private static String withoutSlash(String dir) {
    return dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
  }

  private static String child(String dir, String name) {
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }
}
