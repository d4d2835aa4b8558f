package dev.jbuild.solver;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands COPY sources (paths and globs relative to a source root) into the files and
 * directories they name. Used both to hash the context for cache keys and to copy, so the
 * key always covers exactly what is copied.
 */
final class SourceSelection {
  private SourceSelection() {}

  /** A selected source: its path relative to the root ("." for the root) and its host path. */
  record Selected(String relative, Path path) {}

  /** @throws SourceNotFoundException when a source matches nothing */
  static List<Selected> select(Path root, String source) throws IOException, SourceNotFoundException {
    String clean = clean(source);
    if (!hasGlob(clean)) {
      Path p = clean.equals(".") ? root : RootPath.resolve(root, clean, true);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new SourceNotFoundException(source);
      }
      return List.of(new Selected(clean, p));
    }
    List<Selected> out = new ArrayList<>();
    match(root, "", clean.split("/"), 0, out);
    if (out.isEmpty()) {
      throw new SourceNotFoundException(source);
    }
    return out;
  }

  private static void match(Path root, String prefix, String[] parts, int i, List<Selected> out) throws IOException {
    Path dir = prefix.isEmpty() ? root : root.resolve(prefix);
    if (i == parts.length) {
      out.add(new Selected(prefix, dir));
      return;
    }
    if (!hasGlob(parts[i])) {
      Path next = dir.resolve(parts[i]);
      if (Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
        match(root, join(prefix, parts[i]), parts, i + 1, out);
      }
      return;
    }
    if (!Files.isDirectory(dir)) {
      return;
    }
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + parts[i]);
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path c : ds) {
        if (m.matches(c.getFileName())) {
          names.add(c.getFileName().toString());
        }
      }
    }
    names.sort(null);
    for (String n : names) {
      match(root, join(prefix, n), parts, i + 1, out);
    }
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : a + "/" + b;
  }

  static boolean hasGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  /** Normalises a source path: no leading '/', no '.' or '..' that could leave the root. */
  static String clean(String source) {
    List<String> parts = new ArrayList<>();
    for (String p : source.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
        continue;
      }
      parts.add(p);
    }
    return parts.isEmpty() ? "." : String.join("/", parts);
  }

  /** A COPY source that names nothing in the source root. */
  static final class SourceNotFoundException extends Exception {
    SourceNotFoundException(String source) {
      super(source);
    }
  }
}
