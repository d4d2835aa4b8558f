package dev.jbuild.frontend;

import java.util.ArrayList;
import java.util.List;

/** Path and URL helpers shared by the planners: container paths are always '/'-separated and absolute. */
final class ContainerPaths {
  private ContainerPaths() {}

  /**
   * {@code path} resolved against {@code base} (both container paths) and cleaned; ".." stops at
   * "/". With {@code keepDirSlash}, a trailing '/' (or "." meaning "this directory") is kept.
   */
  static String resolve(String base, String path, boolean keepDirSlash) {
    String joined = path.startsWith("/") ? path : base + "/" + path;
    boolean dir = keepDirSlash && (path.endsWith("/") || path.equals(".") || path.endsWith("/."));
    List<String> parts = new ArrayList<>();
    for (String p : joined.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(p);
      }
    }
    String clean = "/" + String.join("/", parts);
    return dir && !clean.equals("/") ? clean + "/" : clean;
  }

  static boolean isUrl(String s) {
    return s.startsWith("http://") || s.startsWith("https://");
  }

  static boolean isGitUrl(String s) {
    return s.startsWith("git@") || s.startsWith("git://") || s.matches("https?://.*\\.git(#.*)?$");
  }

  /** The file name ADD gives a download: the last segment of the URL path. */
  static String downloadName(String url) {
    String path = java.net.URI.create(url).getPath();
    if (path == null || path.isEmpty() || path.endsWith("/")) {
      return "__unnamed__";
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }

  static String jsonList(List<String> items) {
    return new String(dev.jbuild.oci.Json.write(items), java.nio.charset.StandardCharsets.UTF_8);
  }
}
