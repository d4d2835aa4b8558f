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
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Hashes exactly the files a COPY selects: relative path, type, permission bits, link target and
 * content digest; never mtimes, inodes or host owners, so the same context on another machine
 * gives the same key. File digests come from a persistent {@link StatCache}, so unchanged files
 * are not re-read, not even by the next build.
 */
final class ContentHasher {
  private final StatCache stats;

  private final int threads;

  ContentHasher(StatCache stats) {
    this(stats, Runtime.getRuntime().availableProcessors());
  }

  /** @param threads how many files are read and hashed at once */
  ContentHasher(StatCache stats, int threads) {
    this.stats = stats;
    this.threads = threads;
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
        List<SourceSelection.Entry> entries = SourceSelection.walk(s, top, filter);
        String[] fingerprints = fingerprints(realRoot, s, entries, filter);
        for (int i = 0; i < entries.size(); i++) {
          String rel = relative(s, entries.get(i));
          update(md, rel + "\0" + fingerprints[i]);
          if (files != null) {
            files.put(rel, fingerprints[i]);
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

  private static String relative(SourceSelection.Selected s, SourceSelection.Entry e) {
    return e.relative().isEmpty() ? s.relative() : s.relative() + "/" + e.relative();
  }

  /** Below this many entries one thread is faster than handing work out. */
  private static final int PARALLEL_FROM = 512;

  /**
   * Each entry's fingerprint, the files among them read (when the stat cache has no digest) on
   * every core: a cold 10,000-file context is bound by reading and hashing, which parallelises.
   */
  private String[] fingerprints(Path root, SourceSelection.Selected s, List<SourceSelection.Entry> entries, PathFilter filter)
      throws IOException {
    String[] out = new String[entries.size()];
    if (threads == 1 || entries.size() < PARALLEL_FROM) {
      for (int i = 0; i < out.length; i++) {
        out[i] = fingerprint(root, entries.get(i).path(), filter);
      }
      return out;
    }
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      pool.submit(() -> IntStream.range(0, out.length).parallel().forEach(i -> {
        try {
          out[i] = fingerprint(root, entries.get(i).path(), filter);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      })).get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      while (c instanceof RuntimeException && !(c instanceof UncheckedIOException) && c.getCause() != null) {
        c = c.getCause();
      }
      if (c instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw new IOException("hashing the context: " + c, c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("hashing the context was interrupted");
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  /** Type, presented mode, link target or content digest of one entry: what the key covers besides its path. */
  private String fingerprint(Path root, Path p, PathFilter filter) throws IOException {
    // one stat for type, mode and the cache's freshness check
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime,ctime,ino", LinkOption.NOFOLLOW_LINKS);
    int rawMode = (Integer) a.get("mode");
    int type = rawMode & S_IFMT;
    int mode = filter.presentedMode(rawMode & 07777, type == S_IFDIR); // as COPY will write it
    StringBuilder sb = new StringBuilder();
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
    return sb.toString();
  }

  private static void update(MessageDigest md, String s) {
    md.update(s.getBytes(StandardCharsets.UTF_8));
  }
}
