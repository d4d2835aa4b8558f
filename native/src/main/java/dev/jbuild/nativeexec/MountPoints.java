package dev.jbuild.nativeexec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Creates missing mount-point targets inside a root filesystem before the runtime starts, and
 * remembers what it created (and which directories it wrote into) so none of it leaks into a
 * layer. Paths resolve the way the container sees them: symlinks are followed with the rootfs
 * as "/", and ".." stops at it.
 */
final class MountPoints {
  private static final int MAX_SYMLINK_HOPS = 40;

  private final Path root;
  private final Set<String> created = new LinkedHashSet<>();

  MountPoints(Path root) {
    this.root = root;
  }

  /** Makes sure {@code containerPath} exists, as a directory or an empty file; records what it made. */
  void ensure(String containerPath, boolean directory) throws IOException {
    ensure(containerPath, directory, true);
  }

  /** Like {@link #ensure(String, boolean)}, but what it makes stays part of the run's result. */
  void ensureKept(String containerPath) throws IOException {
    ensure(containerPath, true, false);
  }

  /** Root-relative paths created or written into, for {@link ExecResult#createdPaths()}. */
  Set<String> created() {
    return Set.copyOf(created);
  }

  private void ensure(String containerPath, boolean directory, boolean record) throws IOException {
    Deque<String> todo = new ArrayDeque<>();
    for (String c : containerPath.split("/")) {
      todo.addLast(c);
    }
    Deque<String> resolved = new ArrayDeque<>();
    int hops = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        resolved.pollLast(); // at the root ".." is the root, as in the kernel
        continue;
      }
      boolean last = todo.stream().allMatch(s -> s.isEmpty() || s.equals("."));
      Path p = join(resolved).resolve(c);
      BasicFileAttributes a = attributes(p);
      if (a != null && a.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS) {
          throw new IOException("cannot create mount point " + containerPath + ": too many symlinks");
        }
        String link = Files.readSymbolicLink(p).toString();
        if (link.startsWith("/")) {
          resolved.clear();
        }
        String[] parts = link.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
          todo.addFirst(parts[i]);
        }
        continue;
      }
      if (a == null) {
        String parentRel = relative(resolved);
        if (last && !directory) {
          Files.createFile(p);
        } else {
          Files.createDirectory(p);
        }
        if (record) {
          if (!parentRel.isEmpty()) {
            created.add(parentRel); // its copy-up in the upper dir is the executor's doing too
          }
          created.add(parentRel.isEmpty() ? c : parentRel + "/" + c);
        }
      } else if (!last && !a.isDirectory()) {
        throw new IOException("cannot create mount point " + containerPath + ": " + relative(resolved)
            + "/" + c + " is not a directory");
      }
      resolved.addLast(c);
    }
  }

  private Path join(Deque<String> parts) {
    Path p = root;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }

  private static String relative(Deque<String> parts) {
    return String.join("/", parts);
  }

  private static BasicFileAttributes attributes(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
