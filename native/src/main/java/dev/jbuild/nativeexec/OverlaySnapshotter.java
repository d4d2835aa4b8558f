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
  /**
   * In a user namespace overlayfs keeps its xattrs under user.* (userxattr), which refuses
   * redirect_dir=off (create none but follow existing ones); nofollow creates none either.
   */
  private static final String USERNS_OPTIONS = ",index=off,redirect_dir=nofollow,metacopy=off,userxattr";
  /**
   * Without it, unmounting an overlay syncs the whole file system of its upper dir (syncfs): on a
   * journaled disk 0.1 s and more after every RUN, for data the store does not promise to keep
   * through a power cut anyway (docs/cache.md, "A healthy store"). The upper dir is never mounted
   * as an upper dir again, which is what volatile asks. Linux 5.10 added it; older kernels refuse it.
   */
  static final String VOLATILE = supportsVolatile(System.getProperty("os.version", "")) ? ",volatile" : "";

  /** Whether a kernel release ({@code uname -r}, e.g. "6.18.44-fc") is 5.10 or later. */
  static boolean supportsVolatile(String release) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
    if (!m.find()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    return major > 5 || (major == 5 && Integer.parseInt(m.group(2)) >= 10);
  }

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
      String upperAndWork = ",upperdir=" + optionPath(upper.toAbsolutePath()) + ",workdir="
          + optionPath(work.toAbsolutePath()) + (UserNamespace.isNested() ? USERNS_OPTIONS : FIXED_OPTIONS) + VOLATILE;
      List<String> lowerNames = new ArrayList<>();
      for (Path l : lowerDirs) {
        lowerNames.add(optionPath(l));
      }
      String data = "lowerdir=" + String.join(":", lowerNames) + upperAndWork;
      if (data.getBytes(StandardCharsets.UTF_8).length <= MAX_MOUNT_DATA) {
        Libc.mountOverlay(target.toAbsolutePath(), data);
      } else {
        mountThroughShortNames(lowerDirs, upperAndWork, target.toAbsolutePath(), upper.toAbsolutePath().getParent());
      }
    } catch (IOException | RuntimeException e) {
      if (emptyLower != null) {
        Files.deleteIfExists(emptyLower);
      }
      throw e;
    }
    return new OverlayRoot(target.toAbsolutePath(), emptyLower);
  }

  /**
   * Deep images: the lower dirs' full paths do not fit in one page of mount data, so each gets a
   * one- or two-character symlink in a scratch dir and mount(8) runs there, passing the short
   * relative names (the kernel resolves them against the mounting process's working directory,
   * which a JVM cannot change for one thread). The links are only needed while mounting.
   */
  private static void mountThroughShortNames(List<Path> lowerDirs, String upperAndWork, Path target, Path scratch)
      throws IOException {
    Path links = Files.createTempDirectory(scratch, ".lowers");
    try {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < lowerDirs.size(); i++) {
        String name = Integer.toString(i, 36);
        Files.createSymbolicLink(links.resolve(name), lowerDirs.get(i));
        names.add(name);
      }
      String data = "lowerdir=" + String.join(":", names) + upperAndWork;
      int length = data.getBytes(StandardCharsets.UTF_8).length;
      if (length > MAX_MOUNT_DATA) {
        throw new IOException("cannot mount " + lowerDirs.size() + " layers with overlayfs: even with short names"
            + " the mount options are " + length + " bytes, more than the kernel's " + MAX_MOUNT_DATA);
      }
      Process p = new ProcessBuilder("mount", "-t", "overlay", "-o", data, "overlay", target.toString())
          .directory(links.toFile()).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() != 0) {
        throw new IOException("cannot mount overlay of " + lowerDirs.size() + " layers at " + target + ": " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while mounting an overlay at " + target, e);
    } finally {
      LayerReader.removeRecursively(links);
    }
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
