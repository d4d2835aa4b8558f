package dev.jbuild.nativeexec;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few Linux system calls Java has no API for (mount, mknod, xattrs on symlinks, lchown,
 * setuid bits, nanosecond times without following links), bound through JNA. Each wrapper turns
 * errno into an {@link IOException} naming the call and the path.
 */
final class Libc {
  private static final int MNT_DETACH = 2;
  static final int S_IFCHR = 0020000;
  static final int S_IFBLK = 0060000;
  static final int S_IFIFO = 0010000;
  private static final int ENODATA = 61;
  private static final int ERANGE = 34;
  private static final int EBUSY = 16;
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;

  /**
   * The C library's symbols, bound by JNA's direct mapping (a native method per symbol: about a
   * microsecond a call, where an interface proxy costs several — unpacking a layer makes three calls
   * per file). Every call sets errno, which JNA turns into LastErrorException.
   */
  private static final class C {
    static {
      JnaSetup.avoidLdconfig();
      try {
        // glibc by its file name: JNA would resolve the bare name "c" by searching; others (musl) do search
        Native.register(C.class, NativeLibrary.getInstance("libc.so.6"));
      } catch (UnsatisfiedLinkError e) {
        Native.register(C.class, NativeLibrary.getInstance("c"));
      }
    }

    private C() {}

    static native int mount(String source, String target, String fstype, NativeLong flags, String data) throws LastErrorException;

    static native int umount2(String target, int flags) throws LastErrorException;

    static native int mknod(String path, int mode, long dev) throws LastErrorException;

    static native int lchown(String path, int uid, int gid) throws LastErrorException;

    static native int chmod(String path, int mode) throws LastErrorException;

    static native int lsetxattr(String path, String name, byte[] value, NativeLong size, int flags) throws LastErrorException;

    static native NativeLong lgetxattr(String path, String name, byte[] value, NativeLong size) throws LastErrorException;

    static native NativeLong llistxattr(String path, byte[] list, NativeLong size) throws LastErrorException;

    /** times is struct timespec[2] laid out as {atime_sec, atime_nsec, mtime_sec, mtime_nsec} (LP64). */
    static native int utimensat(int dirfd, String path, long[] times, int flags) throws LastErrorException;

    static native String strerror(int errnum);

    static native void _exit(int status);
  }

  private Libc() {}

  /** Ends the process at once: no JVM exit sequence, no shutdown hooks, no stdio flushing. */
  static void exitNow(int status) {
    C._exit(status);
  }

  static void mountOverlay(Path target, String data) throws IOException {
    try {
      C.mount("overlay", target.toString(), "overlay", new NativeLong(0), data);
    } catch (LastErrorException e) {
      throw failure("mount overlay at " + target + " (" + data + ")", e);
    }
  }

  /** Unmounts; when busy (a straggling process holds it) detaches lazily so the caller can go on. */
  static void unmount(Path target) throws IOException {
    try {
      C.umount2(target.toString(), 0);
    } catch (LastErrorException e) {
      if (e.getErrorCode() != EBUSY) {
        throw failure("umount " + target, e);
      }
      try {
        C.umount2(target.toString(), MNT_DETACH);
      } catch (LastErrorException e2) {
        throw failure("umount (detach) " + target, e2);
      }
    }
  }

  static void mknod(Path path, int mode, long dev) throws IOException {
    try {
      C.mknod(path.toString(), mode, dev);
    } catch (LastErrorException e) {
      throw failure("mknod " + path, e);
    }
  }

  static void lchown(Path path, long uid, long gid) throws IOException {
    try {
      C.lchown(path.toString(), (int) uid, (int) gid);
    } catch (LastErrorException e) {
      throw failure("lchown " + path + " to " + uid + ":" + gid, e);
    }
  }

  /** Sets all 12 permission bits (setuid, setgid and sticky included, which Java cannot). */
  static void chmod(Path path, int mode) throws IOException {
    try {
      C.chmod(path.toString(), mode & 07777);
    } catch (LastErrorException e) {
      throw failure("chmod " + path, e);
    }
  }

  static void lsetxattr(Path path, String name, byte[] value) throws IOException {
    try {
      C.lsetxattr(path.toString(), name, value, new NativeLong(value.length), 0);
    } catch (LastErrorException e) {
      throw failure("setxattr " + name + " on " + path, e);
    }
  }

  /** The value of an extended attribute, or null when the file does not have it. */
  static byte[] lgetxattr(Path path, String name) throws IOException {
    while (true) {
      try {
        long size = C.lgetxattr(path.toString(), name, null, new NativeLong(0)).longValue();
        byte[] buf = new byte[(int) size];
        long got = size == 0 ? 0 : C.lgetxattr(path.toString(), name, buf, new NativeLong(size)).longValue();
        return got == size ? buf : Arrays.copyOf(buf, (int) got);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == ENODATA) {
          return null;
        }
        if (e.getErrorCode() != ERANGE) { // ERANGE: the value grew between the two calls
          throw failure("getxattr " + name + " on " + path, e);
        }
      }
    }
  }

  /** Names of the extended attributes of path itself (not of a symlink's target). */
  static List<String> llistxattr(Path path) throws IOException {
    while (true) {
      try {
        long size = C.llistxattr(path.toString(), null, new NativeLong(0)).longValue();
        if (size == 0) {
          return List.of();
        }
        byte[] buf = new byte[(int) size];
        long got = C.llistxattr(path.toString(), buf, new NativeLong(size)).longValue();
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < got; i++) {
          if (buf[i] == 0) {
            names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
            start = i + 1;
          }
        }
        return names;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != ERANGE) {
          throw failure("listxattr " + path, e);
        }
      }
    }
  }

  /** Sets atime and mtime of path itself, never of a symlink's target. */
  static void setTimes(Path path, Instant atime, Instant mtime) throws IOException {
    long[] times = {atime.getEpochSecond(), atime.getNano(), mtime.getEpochSecond(), mtime.getNano()};
    try {
      C.utimensat(AT_FDCWD, path.toString(), times, AT_SYMLINK_NOFOLLOW);
    } catch (LastErrorException e) {
      throw failure("utimensat " + path, e);
    }
  }

  /** glibc's makedev(3). */
  static long makedev(long major, long minor) {
    return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
        | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
  }

  static long major(long dev) {
    return ((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL);
  }

  static long minor(long dev) {
    return ((dev >>> 12) & 0xffffff00L) | (dev & 0xffL);
  }

  private static IOException failure(String what, LastErrorException e) {
    return new IOException(what + ": " + C.strerror(e.getErrorCode()));
  }
}
