package dev.jbuild.solver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Numeric mode and ownership through the JDK's "unix" attribute view. */
final class FileModes {
  private FileModes() {}

  static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
  }

  static void set(Path p, int permissions, Op.Ownership owner) throws IOException {
    Files.setAttribute(p, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
    if (!Files.isSymbolicLink(p)) {
      // after chown: chown clears setuid/setgid bits
      Files.setAttribute(p, "unix:mode", permissions & 07777, LinkOption.NOFOLLOW_LINKS);
    }
  }
}
