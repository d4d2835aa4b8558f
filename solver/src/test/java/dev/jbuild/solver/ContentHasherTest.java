package dev.jbuild.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jbuild.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hashing a large context on several threads gives the key and fingerprints one thread gives. */
class ContentHasherTest {
  @TempDir Path work;

  @Test
  void parallelHashingGivesTheSameKeyAsOneThread() throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx"));
    for (int i = 0; i < 1500; i++) {
      Path dir = Files.createDirectories(ctx.resolve("d" + (i / 100)));
      Files.writeString(dir.resolve("f" + i), "content " + i);
    }
    Files.createSymbolicLink(ctx.resolve("link"), Path.of("d0/f0"));
    Map<String, String> one = new TreeMap<>();
    Map<String, String> four = new TreeMap<>();
    Digest serial = new ContentHasher(new StatCache(work.resolve("stats1")), 1).hash(ctx, List.of("."), PathFilter.NONE, one);
    Digest parallel = new ContentHasher(new StatCache(work.resolve("stats4")), 4).hash(ctx, List.of("."), PathFilter.NONE, four);
    assertEquals(serial, parallel);
    assertEquals(one, four);
    assertEquals(1500 + 15 + 1 + 1, four.size(), "files, directories, the link and the context root");
    assertEquals("f\0" + "644\0" + Digest.sha256("content 7".getBytes()) + "\0", four.get("./d0/f7"));

    Files.writeString(ctx.resolve("d9/f901"), "edited");
    assertNotEquals(parallel, new ContentHasher(new StatCache(work.resolve("stats4")), 4).hash(ctx, List.of("."), PathFilter.NONE));
  }
}
