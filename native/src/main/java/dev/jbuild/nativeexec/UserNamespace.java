package dev.jbuild.nativeexec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether this process runs in a user namespace other than the host's (rootless mode). There it
 * is "root" only over the ids its namespace maps, so overlayfs keeps its bookkeeping in
 * {@code user.overlay.*} xattrs, sysfs cannot be mounted for a process sharing the host network,
 * and the runtime keeps its state outside /run.
 */
public final class UserNamespace {
  private static final boolean NESTED = readNested(Path.of("/proc/self/uid_map"));

  private UserNamespace() {}

  /** True inside a user namespace (e.g. after {@link RootlessLauncher} re-executed jbuild). */
  public static boolean isNested() {
    return NESTED;
  }

  /** The initial namespace maps every id to itself: a single line {@code 0 0 4294967295}. */
  static boolean readNested(Path uidMap) {
    try {
      List<String> lines = Files.readAllLines(uidMap);
      if (lines.size() != 1) {
        return true;
      }
      String[] f = lines.get(0).trim().split("\\s+");
      return !(f.length == 3 && f[0].equals("0") && f[1].equals("0") && f[2].equals("4294967295"));
    } catch (IOException e) {
      return false;
    }
  }

  /** The host's uid for this process's uid (they differ in a user namespace), e.g. to name per-user dirs. */
  static long hostUid() {
    try {
      long uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      for (String line : Files.readAllLines(Path.of("/proc/self/uid_map"))) {
        String[] f = line.trim().split("\\s+");
        long inside = Long.parseLong(f[0]);
        if (uid >= inside && uid < inside + Long.parseLong(f[2])) {
          return Long.parseLong(f[1]) + uid - inside;
        }
      }
      return uid;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The xattr prefix overlayfs uses for whiteout/opaque bookkeeping in this namespace. */
  static String overlayXattrPrefix() {
    return NESTED ? "user.overlay." : "trusted.overlay.";
  }

  /** The opaque-directory marker xattr overlayfs reads in this namespace. */
  static String opaqueXattr() {
    return overlayXattrPrefix() + "opaque";
  }

  /** Overlay bookkeeping under either prefix: never taken from a layer, never written into one. */
  static boolean isOverlayXattr(String name) {
    return name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.");
  }
}
