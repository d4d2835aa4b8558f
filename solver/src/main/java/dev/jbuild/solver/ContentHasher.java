package dev.jbuild.solver;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hashes exactly the files a COPY selects: relative path, type, permission bits, link target and
 * content digest; never mtimes, inodes or host owners, so the same context on another machine
 * gives the same key. File digests are remembered by (path, size, mtime, inode) so unchanged
 * files are not re-read within a process.
 */
final class ContentHasher {
  private record StatKey(Path path, long size, long mtimeNanos, Object inode) {}

  private final Map<StatKey, Digest> fileDigests = new ConcurrentHashMap<>();

  Digest hash(Path root, List<String> sources, PathFilter filter)
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
          hashEntry(md, e.path(), e.relative().isEmpty() ? s.relative() : s.relative() + "/" + e.relative());
        }
      }
    }
    return Digest.of(md);
  }

  private void hashEntry(MessageDigest md, Path p, String rel) throws IOException {
    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    int mode = FileModes.mode(p) & 07777;
    StringBuilder sb = new StringBuilder().append(rel).append('\0');
    if (a.isSymbolicLink()) {
      sb.append("l\0").append(Files.readSymbolicLink(p)).append('\0');
    } else if (a.isDirectory()) {
      sb.append("d\0").append(Integer.toOctalString(mode)).append('\0');
    } else if (a.isRegularFile()) {
      sb.append("f\0").append(Integer.toOctalString(mode)).append('\0').append(fileDigest(p, a)).append('\0');
    } else {
      sb.append("o\0").append(Integer.toOctalString(mode)).append('\0');
    }
    update(md, sb.toString());
  }

  private Digest fileDigest(Path p, BasicFileAttributes a) throws IOException {
    StatKey key = new StatKey(p, a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.fileKey());
    Digest d = fileDigests.get(key);
    if (d == null) {
      try (InputStream in = Files.newInputStream(p)) {
        d = Digest.sha256(in);
      }
      fileDigests.put(key, d);
    }
    return d;
  }

  private static void update(MessageDigest md, String s) {
    md.update(s.getBytes(StandardCharsets.UTF_8));
  }
}
