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
