package dev.jbuild.solver;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hashes exactly the files a COPY selects: relative path, type, permission bits, link target and
 * content digest; never mtimes, inodes or host owners, so the same context on another machine
 * gives the same key. File digests come from a persistent {@link StatCache}, so unchanged files
 * are not re-read, not even by the next build.
 */
final class ContentHasher {
  private final StatCache stats;

  ContentHasher(StatCache stats) {
    this.stats = stats;
  }

  Digest hash(Path root, List<String> sources, PathFilter filter)
      throws IOException, SourceSelection.SourceNotFoundException {
    return hash(root, sources, filter, null);
  }

  /** As {@link #hash(Path, List, PathFilter)}, also putting each file's hashed fingerprint into {@code files} (when not null). */
  Digest hash(Path root, List<String> sources, PathFilter filter, Map<String, String> files)
      throws IOException, SourceSelection.SourceNotFoundException {
    MessageDigest md = Digest.newSha256();
    Path realRoot = root.toRealPath();
    for (String source : sources) {
      update(md, "source\0" + source + "\0");
      for (SourceSelection.Selected s : SourceSelection.select(root, source, filter)) {
        // A top-level symlink is followed (as COPY does), nested ones are hashed as links.
        Path top = s.path().toRealPath();
        if (!top.startsWith(realRoot)) {
          throw new SourceSelection.SourceNotFoundException(source);
        }
        for (SourceSelection.Entry e : SourceSelection.walk(s, top, filter)) {
          String rel = e.relative().isEmpty() ? s.relative() : s.relative() + "/" + e.relative();
          String fingerprint = hashEntry(md, realRoot, e.path(), rel, filter);
          if (files != null) {
            files.put(rel, fingerprint);
          }
        }
      }
    }
    stats.save(realRoot);
    return Digest.of(md);
  }

  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;

  private String hashEntry(MessageDigest md, Path root, Path p, String rel, PathFilter filter) throws IOException {
    // one stat for type, mode and the cache's freshness check
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime,ctime,ino", LinkOption.NOFOLLOW_LINKS);
    int rawMode = (Integer) a.get("mode");
    int type = rawMode & S_IFMT;
    int mode = filter.presentedMode(rawMode & 07777, type == S_IFDIR); // as COPY will write it
    StringBuilder sb = new StringBuilder().append(rel).append('\0');
    if (type == S_IFLNK) {
      sb.append("l\0").append(Files.readSymbolicLink(p)).append('\0');
    } else if (type == S_IFDIR) {
      sb.append("d\0").append(Integer.toOctalString(mode)).append('\0');
    } else if (type == S_IFREG) {
      StatCache.Stat stat = new StatCache.Stat((Long) a.get("size"),
          ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS), ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS),
          (Long) a.get("ino"));
      sb.append("f\0").append(Integer.toOctalString(mode)).append('\0').append(stats.digest(root, p, stat)).append('\0');
    } else {
      sb.append("o\0").append(Integer.toOctalString(mode)).append('\0');
    }
    update(md, sb.toString());
    return sb.substring(rel.length() + 1);
  }

  private static void update(MessageDigest md, String s) {
    md.update(s.getBytes(StandardCharsets.UTF_8));
  }
}
