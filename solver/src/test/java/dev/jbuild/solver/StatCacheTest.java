package dev.jbuild.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jbuild.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatCacheTest {
  @TempDir Path dir;

  private record StatTwin(long size, long mtimeNanos, long ctimeNanos, long inode) {}

  @Test
  void statEqualityIsTheGeneratedOne() {
    long[][] values = {{0, 0, 0, 0}, {3, 111, 222, 333}, {-1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40}};
    for (long[] v : values) {
      StatCache.Stat s = new StatCache.Stat(v[0], v[1], v[2], v[3]);
      assertEquals(new StatTwin(v[0], v[1], v[2], v[3]).hashCode(), s.hashCode());
      assertEquals(s, new StatCache.Stat(v[0], v[1], v[2], v[3]));
    }
    StatCache.Stat s = new StatCache.Stat(3, 111, 222, 333);
    assertNotEquals(s, new StatCache.Stat(4, 111, 222, 333));
    assertNotEquals(s, new StatCache.Stat(3, 112, 222, 333));
    assertNotEquals(s, new StatCache.Stat(3, 111, 223, 333));
    assertNotEquals(s, new StatCache.Stat(3, 111, 222, 334));
  }

  @Test
  void aDigestIsReusedAcrossInstancesWhileTheStatMatches() throws Exception {
    Path root = Files.createDirectories(dir.resolve("ctx"));
    Path file = Files.writeString(root.resolve("f"), "one");
    StatCache.Stat stat = new StatCache.Stat(3, 111, 222, 333);
    StatCache first = new StatCache(dir.resolve("cache"));
    Digest d = first.digest(root, file, stat);
    assertEquals(Digest.sha256("one".getBytes(StandardCharsets.UTF_8)), d);
    first.save(root);

    // a new process: the content changed behind an identical stat, so the remembered digest is
    // returned without reading the file (proving the file was not read)
    Files.writeString(file, "two");
    StatCache second = new StatCache(dir.resolve("cache"));
    assertEquals(d, second.digest(root, file, stat));
    // any stat change makes it read the file again
    assertEquals(Digest.sha256("two".getBytes(StandardCharsets.UTF_8)),
        second.digest(root, file, new StatCache.Stat(3, 111, 999, 333)));
  }

  @Test
  void aCorruptCacheFileIsIgnored() throws Exception {
    Path root = Files.createDirectories(dir.resolve("ctx"));
    Path file = Files.writeString(root.resolve("f"), "one");
    StatCache c = new StatCache(dir.resolve("cache"));
    c.digest(root, file, new StatCache.Stat(3, 1, 1, 1));
    c.save(root);
    try (var s = Files.list(dir.resolve("cache"))) {
      Path written = s.findFirst().orElseThrow();
      Files.write(written, new byte[] {1, 2, 3});
    }
    assertNotEquals(null, new StatCache(dir.resolve("cache")).digest(root, file, new StatCache.Stat(3, 1, 1, 1)));
  }
}
