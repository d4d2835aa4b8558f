package dev.jbuild.nativeexec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Decides once per JVM whether overlayfs works, by mounting a tiny overlay and looking through it. */
final class SnapshotterDetection {
  private static final Logger LOG = Logger.getLogger(SnapshotterDetection.class.getName());
  static final Snapshotter DETECTED = probe(Path.of(System.getProperty("java.io.tmpdir")));

  private SnapshotterDetection() {}

  static Snapshotter probe(Path parent) {
    try {
      Path dir = Files.createTempDirectory(parent, "jbuild-overlay-probe");
      try {
        Path lower = Files.createDirectory(dir.resolve("l"));
        Path upper = Files.createDirectory(dir.resolve("u"));
        Path work = Files.createDirectory(dir.resolve("w"));
        Path merged = Files.createDirectory(dir.resolve("m"));
        Files.writeString(lower.resolve("probe"), "lower");
        OverlaySnapshotter overlay = new OverlaySnapshotter();
        try (MountedRoot root = overlay.mount(List.of(lower), upper, work, merged)) {
          Files.delete(root.path().resolve("probe")); // must leave a whiteout in the upper dir
        }
        Object mode = Files.getAttribute(upper.resolve("probe"), "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (((Integer) mode & 0170000) != Libc.S_IFCHR) {
          throw new IOException("overlayfs did not record a deletion as a whiteout device");
        }
        return overlay;
      } finally {
        LayerReader.removeRecursively(dir);
      }
    } catch (IOException | RuntimeException | LinkageError e) {
      LOG.log(Level.INFO, "overlayfs is not usable here (" + e.getMessage() + "); copying snapshots instead");
      return new CopyingSnapshotter();
    }
  }
}
