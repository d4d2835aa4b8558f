package dev.jbuild.nativeexec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Makes writable root filesystems from layer directories (see {@link LayerReader}). */
public interface Snapshotter {
  /**
   * Mounts {@code lowers} (top-most first; may be empty) with {@code upper} and {@code work} at
   * {@code target}. Changes land in {@code upper} in overlayfs' format (whiteouts as 0/0 character
   * devices, opaque directories marked with an xattr), which {@link LayerWriter} reads.
   */
  MountedRoot mount(List<Path> lowers, Path upper, Path work, Path target) throws IOException;

  /** A short name for logs and errors: "overlayfs" or "copy". */
  String name();

  /** Overlayfs when it works here (probed once, in the temp dir), else the copying fallback. */
  static Snapshotter detect() {
    return SnapshotterDetection.InTempDir.DETECTED;
  }

  /**
   * Like {@link #detect()} but probes on the file system of {@code stateDir}, where snapshots will
   * live; a success is remembered there (per kernel and user namespace) and not probed again.
   */
  static Snapshotter detect(Path stateDir) {
    return SnapshotterDetection.remembered(stateDir);
  }
}
