package dev.jbuild.nativeexec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides whether overlayfs works, by mounting a tiny overlay and looking through it. A state
 * directory remembers a success (for this kernel and user namespace), so builds after the first
 * skip the probe's mount and unmount.
 */
final class SnapshotterDetection {
  /**
   * Created on first use: the logging framework finds its LoggerFinder with a ServiceLoader, which
   * opens every jar of the class path (≈ 30 ms), and a build whose probe was remembered logs nothing.
   */
  private static final class Log {
    static final Logger LOG = Logger.getLogger(SnapshotterDetection.class.getName());
  }

  static final String REMEMBERED = "overlayfs-works";
  /** {@code jbuild-overlay-probe-<pid>-<random>}: the pid tells a dead prober's leftover from a running one. */
  static final String PROBE_PREFIX = "jbuild-overlay-probe-";

  private SnapshotterDetection() {}

  /** Probed in the temp dir once per JVM, on first use. */
  static final class InTempDir {
    static final Snapshotter DETECTED = probe(Path.of(System.getProperty("java.io.tmpdir")));

    private InTempDir() {}
  }

  /** Like {@link #probe} but trusts an earlier success recorded in {@code stateDir}. */
  static Snapshotter remembered(Path stateDir) {
    sweepDeadProbes(stateDir);
    Path note = stateDir.resolve(REMEMBERED);
    String key = hostKey();
    try {
      if (Files.isRegularFile(note) && Files.readString(note).equals(key)) {
        return new OverlaySnapshotter();
      }
    } catch (IOException e) {
      // unreadable note: probe again
    }
    Snapshotter s = probe(stateDir);
    if (s instanceof OverlaySnapshotter) {
      try {
        Path tmp = Files.createTempFile(stateDir, REMEMBERED, ".tmp");
        Files.writeString(tmp, key);
        Files.move(tmp, note, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Log.LOG.log(Level.FINE, "cannot remember the overlayfs probe: " + e.getMessage());
      }
    }
    return s;
  }

  /** What the answer depends on: the kernel and the user namespace we run in (rootless or not). */
  private static String hostKey() {
    String uidMap;
    try {
      uidMap = Files.readString(Path.of("/proc/self/uid_map")).trim().replaceAll("\\s+", " ");
    } catch (IOException e) {
      uidMap = "?";
    }
    return System.getProperty("os.version") + "\n" + uidMap + "\n";
  }

  /**
   * A process killed between the probe's mount and unmount leaves a mounted overlay in
   * {@code parent}, which nothing else removes (the store cannot be deleted while it is mounted):
   * detach and remove the probe directories of processes that are gone.
   */
  static void sweepDeadProbes(Path parent) {
    try (java.nio.file.DirectoryStream<Path> probes = Files.newDirectoryStream(parent, PROBE_PREFIX + "*")) {
      for (Path dir : probes) {
        String rest = dir.getFileName().toString().substring(PROBE_PREFIX.length());
        int dash = rest.indexOf('-');
        long pid;
        try {
          pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (NumberFormatException e) {
          continue; // not ours
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        StaleMounts.unmountUnder(dir);
        LayerReader.removeRecursively(dir);
      }
    } catch (IOException | RuntimeException | LinkageError e) {
      Log.LOG.log(Level.FINE, "cannot sweep leftover overlayfs probes in " + parent + ": " + e.getMessage());
    }
  }

  static Snapshotter probe(Path parent) {
    try {
      Path dir = Files.createTempDirectory(parent, PROBE_PREFIX + ProcessHandle.current().pid() + "-");
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
      Log.LOG.log(Level.INFO, "overlayfs is not usable here (" + e.getMessage() + "); copying snapshots instead");
      return new CopyingSnapshotter();
    }
  }
}
