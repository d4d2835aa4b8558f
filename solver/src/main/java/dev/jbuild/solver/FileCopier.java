package dev.jbuild.solver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;

/**
 * Dockerfile COPY semantics over two directory trees: a source file goes to the destination (or
 * into it when it is a directory or ends with '/'); a source directory's contents (not the
 * directory itself) are merged into the destination; modes and mtimes are kept, owners become
 * {@code chown} (root by default); symlinks inside sources are copied as links.
 */
final class FileCopier {
  private final Op.Ownership owner;
  private final Optional<Op.Ownership> chown;
  private final Optional<Integer> chmod;
  private final boolean unpackArchives;

  FileCopier(Optional<Op.Ownership> chown, Optional<Integer> chmod, boolean unpackArchives) {
    this.owner = chown.orElse(Op.Ownership.ROOT);
    this.chown = chown;
    this.chmod = chmod;
    this.unpackArchives = unpackArchives;
  }

  void copy(Path srcRoot, PathFilter filter, List<String> sources, Path destRoot, String destination)
      throws IOException, SourceSelection.SourceNotFoundException {
    List<SourceSelection.Selected> selected = new java.util.ArrayList<>();
    for (String s : sources) {
      selected.addAll(SourceSelection.select(srcRoot, s, filter));
    }
    boolean destIsDir = destination.endsWith("/") || selected.size() > 1
        || Files.isDirectory(RootPath.resolve(destRoot, destination, true));
    if (destIsDir) {
      Path dir = RootPath.mkdirs(destRoot, destination, 0755, Op.Ownership.ROOT);
      for (SourceSelection.Selected s : selected) {
        Path src = followTop(srcRoot, s);
        if (Files.isDirectory(src)) {
          copyTree(s, src, dir, filter);
        } else if (!unpacked(src, destRoot, destination)) {
          copyEntry(src, dir.resolve(src.getFileName().toString()), filter);
        }
      }
      return;
    }
    Path src = followTop(srcRoot, selected.get(0));
    if (!Files.isDirectory(src) && unpacked(src, destRoot, destination)) {
      return;
    }
    if (Files.isDirectory(src)) {
      copyTree(selected.get(0), src, RootPath.mkdirs(destRoot, destination, 0755, Op.Ownership.ROOT), filter);
    } else {
      RootPath.mkdirs(destRoot, RootPath.parentOf(destination), 0755, Op.Ownership.ROOT);
      copyEntry(src, RootPath.resolve(destRoot, destination, false), filter);
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
    ArchiveExtractor.extract(src, compression.get(), destRoot, destination, chown);
    return true;
  }

  /** The top-level source is followed when it is a symlink, staying inside the source root. */
  private static Path followTop(Path srcRoot, SourceSelection.Selected s) throws IOException {
    if (!Files.isSymbolicLink(s.path())) {
      return s.path();
    }
    return RootPath.resolve(srcRoot, s.relative(), true);
  }

  private void copyTree(SourceSelection.Selected s, Path srcDir, Path destDir, PathFilter filter) throws IOException {
    for (SourceSelection.Entry e : SourceSelection.walk(s, srcDir, filter)) {
      if (e.relative().isEmpty()) {
        continue;
      }
      Path dest = destDir.resolve(e.relative());
      // a file re-included below an excluded directory still needs its parents
      if (!Files.isDirectory(dest.getParent(), LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dest.getParent());
      }
      copyEntry(e.path(), dest, filter);
    }
  }

  private void copyEntry(Path src, Path dest, PathFilter filter) throws IOException {
    BasicFileAttributes a = Files.readAttributes(src, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) && !(a.isDirectory() && Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS))) {
      if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("cannot replace directory " + dest.getFileName() + " with a non-directory");
      }
      Files.delete(dest);
    }
    if (a.isSymbolicLink()) {
      Files.createSymbolicLink(dest, Files.readSymbolicLink(src));
      Files.setAttribute(dest, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(dest, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
      return;
    }
    if (a.isDirectory()) {
      if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dest);
      }
    } else if (a.isRegularFile()) {
      Files.copy(src, dest, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    } else {
      throw new IOException("cannot copy " + src.getFileName() + ": not a regular file, directory or symlink");
    }
    int mode = chmod.orElse(filter.presentedMode(FileModes.mode(src) & 07777, a.isDirectory()));
    FileModes.set(dest, mode, owner);
    Files.setLastModifiedTime(dest, FileTime.from(a.lastModifiedTime().toInstant()));
  }
}
