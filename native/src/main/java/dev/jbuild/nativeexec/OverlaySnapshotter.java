package dev.jbuild.nativeexec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Root filesystems as overlayfs mounts, made with mount(2) directly (no mount(8) process). */
final class OverlaySnapshotter implements Snapshotter {
  /** mount(2) copies at most one page of option data, terminating NUL included. */
  static final int MAX_MOUNT_DATA = 4095;
  /**
   * redirect_dir and metacopy would leave renamed directories and chown'ed files only partly in
   * the upper dir, which then no longer describes the change on its own; index is not needed.
   */
  private static final String FIXED_OPTIONS = ",index=off,redirect_dir=off,metacopy=off";

  @Override
  public String name() {
    return "overlayfs";
  }

  @Override
  public MountedRoot mount(List<Path> lowers, Path upper, Path work, Path target) throws IOException {
    Path emptyLower = null;
    List<Path> lowerDirs = new ArrayList<>();
    if (lowers.isEmpty()) { // overlayfs needs at least one lower dir
      emptyLower = Files.createTempDirectory(upper.toAbsolutePath().getParent(), ".jbuild-empty-lower");
      lowerDirs.add(emptyLower);
    } else {
      for (Path l : lowers) {
        lowerDirs.add(l.toAbsolutePath());
      }
    }
    try {
      List<String> lowerNames = new ArrayList<>();
      for (Path l : lowerDirs) {
        lowerNames.add(optionPath(l));
      }
      String data = "lowerdir=" + String.join(":", lowerNames) + ",upperdir=" + optionPath(upper.toAbsolutePath())
          + ",workdir=" + optionPath(work.toAbsolutePath()) + FIXED_OPTIONS;
      int length = data.getBytes(StandardCharsets.UTF_8).length;
      if (length > MAX_MOUNT_DATA) {
        // TODO: mount through short relative paths (fsopen/fsconfig take one lower at a time) for deep images.
        throw new IOException("cannot mount " + lowers.size() + " layers with overlayfs: the mount options are "
            + length + " bytes, more than the kernel's " + MAX_MOUNT_DATA + "; use shorter state-dir paths or fewer layers");
      }
      Libc.mountOverlay(target.toAbsolutePath(), data);
    } catch (IOException | RuntimeException e) {
      if (emptyLower != null) {
        Files.deleteIfExists(emptyLower);
      }
      throw e;
    }
    return new OverlayRoot(target.toAbsolutePath(), emptyLower);
  }

  /** Paths are separated by ':' and options by ','; refuse rather than guess at escaping. */
  private static String optionPath(Path p) throws IOException {
    String s = p.toString();
    if (s.indexOf(':') >= 0 || s.indexOf(',') >= 0 || s.indexOf('\\') >= 0) {
      throw new IOException("cannot use " + s + " in an overlay mount: the path contains ':', ',' or '\\'");
    }
    return s;
  }

  /** One mounted overlay; unmounting twice is harmless. */
  private static final class OverlayRoot implements MountedRoot {
    private final Path target;
    private final Path emptyLower;
    private boolean mounted = true;

    OverlayRoot(Path target, Path emptyLower) {
      this.target = target;
      this.emptyLower = emptyLower;
    }

    @Override
    public Path path() {
      return target;
    }

    @Override
    public synchronized void close() throws IOException {
      if (!mounted) {
        return;
      }
      Libc.unmount(target);
      mounted = false;
      if (emptyLower != null) {
        Files.deleteIfExists(emptyLower);
      }
    }

    @Override
    public String toString() {
      return "overlay at " + target;
    }
  }
}
