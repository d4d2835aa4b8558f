package dev.jbuild.nativeexec;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Something made visible at an absolute path inside the container for one run. Mount points the
 * executor has to create are reported in {@link ExecResult#createdPaths()} so they never reach a
 * layer; what a process writes below a mount stays out of the root filesystem.
 */
public sealed interface Mount {
  /** Absolute path inside the container. */
  String target();

  /** A host file or directory (a cache dir, a view of another filesystem, the build context). */
  record Bind(Path source, String target, boolean readOnly) implements Mount {
    public Bind {
      Objects.requireNonNull(source, "source");
      target = absolute(target);
    }
  }

  /**
   * A fresh tmpfs, gone when the run ends.
   *
   * @param sizeBytes upper bound; 0 leaves the kernel's default (half of RAM)
   */
  record Tmpfs(String target, long sizeBytes) implements Mount {
    public Tmpfs {
      target = absolute(target);
      if (sizeBytes < 0) {
        throw new IllegalArgumentException("tmpfs size must not be negative: " + sizeBytes);
      }
    }
  }

  /**
   * A read-only file with exactly these bytes (a secret, an inline script). It is written on a
   * tmpfs where one is available, never into the root filesystem, and removed after the run.
   */
  record File(String target, byte[] content, int uid, int gid, int mode) implements Mount {
    public File {
      target = absolute(target);
      content = content.clone();
    }

    @Override
    public byte[] content() {
      return content.clone();
    }

    /** Never the content: this may be a secret. */
    @Override
    public String toString() {
      return "File[target=" + target + ", " + content.length + " bytes, uid=" + uid + ", gid=" + gid
          + ", mode=" + Integer.toOctalString(mode) + "]";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof File f && f.target.equals(target) && java.util.Arrays.equals(f.content, content)
          && f.uid == uid && f.gid == gid && f.mode == mode;
    }

    @Override
    public int hashCode() {
      return Objects.hash(target, java.util.Arrays.hashCode(content), uid, gid, mode);
    }
  }

  /**
   * A unix socket forwarding every connection to {@code upstream} (an ssh agent), owned by
   * {@code uid:gid} with {@code mode}, so a non-root build user can use an agent it could not open.
   */
  record ForwardedSocket(Path upstream, String target, int uid, int gid, int mode) implements Mount {
    public ForwardedSocket {
      Objects.requireNonNull(upstream, "upstream");
      target = absolute(target);
    }
  }

  private static String absolute(String target) {
    Objects.requireNonNull(target, "target");
    if (!target.startsWith("/")) {
      throw new IllegalArgumentException("mount target must be absolute: " + target);
    }
    return target;
  }
}
