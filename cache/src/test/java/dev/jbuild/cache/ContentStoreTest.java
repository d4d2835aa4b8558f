package dev.jbuild.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
  @TempDir Path root;

  @Test
  void storesUnderItsSha256() throws IOException {
    ContentStore store = new ContentStore(root);
    byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
    Digest d = store.put(data);
    assertEquals("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", d.toString());
    assertTrue(store.has(d));
    assertArrayEquals(data, store.readAll(d));
  }

  @Test
  void aWriterThatIsNotCommittedLeavesNothing() throws IOException {
    ContentStore store = new ContentStore(root);
    try (ContentStore.Writer w = store.writer()) {
      w.write(new byte[1000]);
    }
    try (Stream<Path> s = Files.list(root.resolve("blobs/sha256"))) {
      assertEquals(0, s.count());
    }
    try (Stream<Path> s = Files.list(root.resolve("ingest"))) {
      assertEquals(0, s.count(), "temp files are removed");
    }
  }

  @Test
  void rejectsContentThatDoesNotMatchTheExpectedDigest() throws IOException {
    ContentStore store = new ContentStore(root);
    Digest wrong = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
    CorruptContentException e = assertThrows(CorruptContentException.class,
        () -> store.put(new ByteArrayInputStream("data".getBytes(StandardCharsets.UTF_8)), wrong));
    assertTrue(e.getMessage().contains(wrong.toString()), e.getMessage());
    assertFalse(store.has(wrong));
  }

  @Test
  void aCorruptedBlobFailsItsReadAndIsRemoved() throws IOException {
    ContentStore store = new ContentStore(root);
    Digest d = store.put(new byte[100_000]);
    Files.write(store.path(d), new byte[] {1, 2, 3});
    try (InputStream in = store.open(d)) {
      assertThrows(CorruptContentException.class, in::readAllBytes);
    }
    assertFalse(store.has(d), "a corrupt blob must not be trusted by a later build");
  }

  @Test
  void anUnsyncedLayerBlobIsStoredAlikeAndItsDamageAfterAPowerCutIsCaughtOnRead() throws IOException {
    ContentStore store = new ContentStore(root);
    byte[] layer = "a layer's tar".repeat(1000).getBytes(StandardCharsets.UTF_8);
    Digest d;
    try (ContentStore.Writer w = store.writer()) {
      w.write(layer);
      d = w.commitUnsynced(Optional.of(Digest.sha256(layer)));
    }
    assertArrayEquals(layer, store.readAll(d));
    try (Stream<Path> ingest = Files.list(root.resolve("ingest"))) {
      assertEquals(List.of(), ingest.toList(), "no temp file left");
    }
    Files.write(store.path(d), new byte[layer.length]); // what delayed allocation can leave after a crash
    try (InputStream in = store.open(d)) {
      assertThrows(CorruptContentException.class, in::readAllBytes);
    }
    assertFalse(store.has(d), "removed: the next build rebuilds or fetches it");
  }

  @Test
  void recordsNamingAMissingBlobAreMisses() throws IOException {
    ContentStore store = new ContentStore(root);
    CacheRecords records = new CacheRecords(root, store);
    Digest present = store.put(new byte[] {1});
    CacheKey k1 = CacheKey.of(Map.of("op", "a"));
    CacheKey k2 = CacheKey.of(Map.of("op", "b"));
    records.put(k1, new CacheRecord(List.of(new CacheRecord.LayerRecord("m", present.toString(), 1, present.toString())),
        true, "2024-01-01T00:00:00Z"));
    records.put(k2, new CacheRecord(List.of(new CacheRecord.LayerRecord("m",
        Digest.sha256(new byte[] {9}).toString(), 1, present.toString())), true, "2024-01-01T00:00:00Z"));
    assertEquals(Optional.of(true), records.get(k1).map(CacheRecord::addedLayer));
    assertEquals(Optional.empty(), records.get(k2));
  }

  @Test
  void keysAreIndependentOfMapOrder() {
    Map<String, Object> a = new java.util.LinkedHashMap<>();
    a.put("x", 1);
    a.put("y", List.of("p", "q"));
    Map<String, Object> b = new java.util.LinkedHashMap<>();
    b.put("y", List.of("p", "q"));
    b.put("x", 1);
    assertEquals(CacheKey.of(a), CacheKey.of(b));
    assertFalse(CacheKey.of(a).equals(CacheKey.of(Map.of("x", 1, "y", List.of("q", "p")))));
  }

  @Test
  void storeLocationFollowsTheEnvironment() {
    assertEquals(Path.of("/x/y"), StoreLocation.resolve(Map.of("JBUILD_ROOT", "/x/y"), "root", "/root"));
    assertEquals(Path.of("/var/lib/jbuild"), StoreLocation.resolve(Map.of(), "root", "/root"));
    assertEquals(Path.of("/c/jbuild"), StoreLocation.resolve(Map.of("XDG_CACHE_HOME", "/c"), "ann", "/home/ann"));
    assertEquals(Path.of("/home/ann/.cache/jbuild"), StoreLocation.resolve(Map.of(), "ann", "/home/ann"));
  }
}
