package dev.jbuild.solver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a path inside a root filesystem the way the container would see it: symlinks are
 * followed relative to the root and can never lead outside it (like a chroot).
 */
final class RootPath {
  private static final int MAX_LINKS = 255;

  private RootPath() {}

  /**
   * Resolves {@code path} (absolute inside the container) to a host path under {@code root}.
   * The last component is not followed when {@code followLast} is false.
   */
  static Path resolve(Path root, String path, boolean followLast) throws IOException {
    Deque<String> todo = new ArrayDeque<>();
    push(todo, path);
    Deque<String> done = new ArrayDeque<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String part = todo.pop();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        done.pollLast();
        continue;
      }
      Path candidate = join(root, done).resolve(part);
      boolean last = todo.isEmpty();
      if ((followLast || !last) && Files.isSymbolicLink(candidate)) {
        if (++links > MAX_LINKS) {
          throw new IOException("too many levels of symbolic links resolving " + path);
        }
        String target = Files.readSymbolicLink(candidate).toString();
        if (target.startsWith("/")) {
          done.clear();
        }
        push(todo, target);
        continue;
      }
      done.addLast(part);
    }
    return join(root, done);
  }

  private static void push(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      todo.push(parts[i]);
    }
  }

  private static Path join(Path root, Deque<String> parts) {
    Path p = root;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }

  /** Creates {@code path} and missing parents inside the root (mode and owner for new dirs only). */
  static Path mkdirs(Path root, String path, int mode, Op.Ownership owner) throws IOException {
    Path resolved = resolve(root, path, true);
    if (Files.isDirectory(resolved)) {
      return resolved;
    }
    String parent = parentOf(path);
    if (!parent.equals(path)) {
      mkdirs(root, parent, 0755, owner);
    }
    resolved = resolve(root, path, true);
    if (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(resolved)) {
      throw new IOException(path + " exists and is not a directory");
    }
    if (!Files.isDirectory(resolved)) {
      Files.createDirectory(resolved);
      FileModes.set(resolved, mode, owner);
    }
    return resolved;
  }

  static String parentOf(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    int slash = p.lastIndexOf('/');
    return slash <= 0 ? "/" : p.substring(0, slash);
  }
}
