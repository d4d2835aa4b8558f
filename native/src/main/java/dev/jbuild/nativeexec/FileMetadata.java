package dev.jbuild.nativeexec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Owner, mode and time of a file just written, in three system calls. Through the JDK's attribute
 * views the same takes seven (uid and gid each a chown, a stat before chmod, an open and a stat
 * around the time) plus parsing an attribute name per call: a COPY of thousands of files pays that
 * per file.
 */
public final class FileMetadata {
  private FileMetadata() {}

  /**
   * Sets owner, then mode (after chown, which clears setuid/setgid), then atime and mtime of a regular
   * file or directory (never follows a symlink at {@code path}).
   */
  public static void set(Path path, long uid, long gid, int mode, Instant mtime) throws IOException {
    Libc.lchown(path, uid, gid);
    Libc.chmod(path, mode);
    Libc.setTimes(path, mtime, mtime);
  }
}
