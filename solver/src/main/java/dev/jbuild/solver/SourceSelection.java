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
 * directories they name, honouring a {@link PathFilter}. Used both to hash the context for cache
 * keys and to copy, so the key always covers exactly what is copied.
 */
final class SourceSelection {
  private SourceSelection() {}

  /** A selected source: its path relative to the root ("." for the root) and its host path. */
  record Selected(String relative, Path path) {}

  /** One file under a selected source: path relative to the source ("" for the source itself). */
  record Entry(String relative, Path path) {}

  /** @throws SourceNotFoundException when a source matches nothing */
  static List<Selected> select(Path root, String source, PathFilter filter) throws IOException, SourceNotFoundException {
    String clean = clean(source);
    if (!hasGlob(clean)) {
      Path p = clean.equals(".") ? root : RootPath.resolve(root, clean, true);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) || (!clean.equals(".") && hidden(clean, p, filter))) {
        throw new SourceNotFoundException(source);
      }
      return List.of(new Selected(clean, p));
    }
    List<Selected> out = new ArrayList<>();
    match(root, "", clean.split("/"), 0, filter, out);
    if (out.isEmpty()) {
      throw new SourceNotFoundException(source);
    }
    return out;
  }

  /** Excluded, unless it is a directory that may hold re-included files. */
  private static boolean hidden(String rel, Path p, PathFilter filter) {
    return filter.excludes(rel) && !(filter.mayReinclude() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
  }

  /**
   * Everything under a selected source, sorted, the source itself first; symlinks are listed,
   * not followed. Excluded entries are left out; an excluded directory is still walked when the
   * filter may re-include something below it.
   */
  static List<Entry> walk(Selected s, Path top, PathFilter filter) throws IOException {
    List<Entry> out = new ArrayList<>();
    out.add(new Entry("", top));
    if (Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
      walkDir(top, "", s.relative().equals(".") ? "" : s.relative(), filter, out);
    }
    return out;
  }

  private static void walkDir(Path dir, String rel, String rootRel, PathFilter filter, List<Entry> out) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(children::add);
    }
    children.sort(null);
    for (Path c : children) {
      String name = c.getFileName().toString();
      String childRel = rel.isEmpty() ? name : rel + "/" + name;
      String fromRoot = rootRel.isEmpty() ? childRel : rootRel + "/" + childRel;
      boolean isDir = Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS);
      boolean excluded = filter.excludes(fromRoot);
      if (!excluded) {
        out.add(new Entry(childRel, c));
      }
      if (isDir && (!excluded || filter.mayReinclude())) {
        walkDir(c, childRel, rootRel, filter, out);
      }
    }
  }

  private static void match(Path root, String prefix, String[] parts, int i, PathFilter filter, List<Selected> out)
      throws IOException {
    Path dir = prefix.isEmpty() ? root : root.resolve(prefix);
    if (i == parts.length) {
      if (!hidden(prefix, dir, filter)) {
        out.add(new Selected(prefix, dir));
      }
      return;
    }
    if (!hasGlob(parts[i])) {
      Path next = dir.resolve(parts[i]);
      if (Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
        match(root, join(prefix, parts[i]), parts, i + 1, filter, out);
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
      match(root, join(prefix, n), parts, i + 1, filter, out);
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
