package dev.jbuild.nativeexec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Applies layers, bottom first, onto one plain directory that becomes the image's root
 * filesystem ({@code -o type=local} and {@code type=tar}). Unlike {@link LayerReader}, which
 * keeps whiteouts for overlayfs, this executes them: {@code .wh.NAME} deletes NAME from the
 * layers below and {@code .wh..wh..opq} empties its directory of what the layers below put
 * there (entries of the same layer stay, as the image spec says). Entries never land outside
 * the root (symlinks resolve with the root as "/"). Ownership is applied when running as root
 * and skipped otherwise, so a non-root user still gets the files.
 */
public final class RootfsApplier {
  private final boolean chown;

  public RootfsApplier() {
    this.chown = "root".equals(System.getProperty("user.name"));
  }

  /** Applies one uncompressed layer tar onto {@code rootDir}. */
  public void apply(InputStream layerTar, Path rootDir) throws IOException, LayerException {
    Path root = rootDir.toRealPath();
    TarReader reader = new TarReader(layerTar);
    Set<Path> fromThisLayer = new HashSet<>();
    List<Map.Entry<Path, Instant>> directoryTimes = new ArrayList<>();
    TarEntry entry;
    while ((entry = reader.next()) != null) {
      List<String> parts = LayerReader.components(entry.name());
      if (parts.isEmpty()) {
        continue; // the layer's "./": the root keeps its own metadata
      }
      String base = parts.get(parts.size() - 1);
      Path parent = resolveDirectory(root, parts.subList(0, parts.size() - 1), entry.name(), fromThisLayer);
      if (base.equals(LayerReader.OPAQUE_MARKER)) {
        clearLowerEntries(parent, fromThisLayer);
        continue;
      }
      if (base.startsWith(LayerReader.WHITEOUT_PREFIX + LayerReader.WHITEOUT_PREFIX)) {
        continue; // aufs bookkeeping
      }
      if (base.startsWith(LayerReader.WHITEOUT_PREFIX)) {
        String victim = base.substring(LayerReader.WHITEOUT_PREFIX.length());
        if (victim.isEmpty() || victim.equals(".") || victim.equals("..")) {
          throw new LayerException("layer entry " + entry.name() + " is not a valid whiteout");
        }
        LayerReader.removeRecursively(parent.resolve(victim));
        continue;
      }
      Path target = parent.resolve(base);
      create(root, target, entry, reader, fromThisLayer);
      fromThisLayer.add(target);
      if (entry.type() == TarEntry.Type.DIRECTORY) {
        directoryTimes.add(Map.entry(target, entry.mtime()));
      }
    }
    directoryTimes.sort(Comparator.comparingInt((Map.Entry<Path, Instant> e) -> e.getKey().getNameCount()).reversed());
    for (Map.Entry<Path, Instant> d : directoryTimes) {
      Libc.setTimes(d.getKey(), d.getValue(), d.getValue());
    }
  }

  private void clearLowerEntries(Path dir, Set<Path> fromThisLayer) throws IOException {
    List<Path> children;
    try (Stream<Path> s = Files.list(dir)) {
      children = s.toList();
    }
    for (Path c : children) {
      if (!fromThisLayer.contains(c)) {
        LayerReader.removeRecursively(c);
      } else if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) {
        clearLowerEntries(c, fromThisLayer);
      }
    }
  }

  private void create(Path root, Path target, TarEntry entry, TarReader reader, Set<Path> fromThisLayer)
      throws IOException, LayerException {
    // only root may make device nodes; a non-root export leaves them out
    if (!LayerReader.createNode(root, target, entry, reader, fromThisLayer::add, !chown)) {
      return;
    }
    if (chown) {
      Libc.lchown(target, entry.uid(), entry.gid());
    }
    if (entry.type() != TarEntry.Type.SYMLINK) {
      Libc.chmod(target, entry.mode());
    }
    for (Map.Entry<String, byte[]> x : entry.xattrs().entrySet()) {
      if (!isOverlayBookkeeping(x.getKey()) && (chown || x.getKey().startsWith("user."))) {
        Libc.lsetxattr(target, x.getKey(), x.getValue());
      }
    }
    if (entry.type() != TarEntry.Type.DIRECTORY) {
      Libc.setTimes(target, entry.mtime(), entry.mtime());
    }
  }

  /** overlayfs' own attributes: they mean nothing in a plain directory and must not be smuggled in. */
  private static boolean isOverlayBookkeeping(String xattr) {
    return xattr.startsWith("trusted.overlay.") || xattr.startsWith("user.overlay.");
  }

  /** The directory for an entry's parent inside root, following symlinks as the container would; created if missing. */
  private static Path resolveDirectory(Path root, List<String> parts, String entryName, Set<Path> fromThisLayer)
      throws IOException, LayerException {
    return LayerReader.resolveDirectory(root, parts, entryName, fromThisLayer::add);
  }

}
