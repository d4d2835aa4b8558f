package dev.jbuild.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every prune filter on a store with a shared base layer: record A = base+a (old), record B =
 * base+b (recent), a dangling blob, a cache mount and a stat cache.
 */
class PrunerTest {
  private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
  private static final PruneOptions DEFAULT = new PruneOptions(false, Optional.empty(), Optional.empty(), Set.of(), false);
  @TempDir Path root;
  private StoreFixture store;
  private StoreFixture.Layer base;
  private StoreFixture.Layer a;
  private StoreFixture.Layer b;
  private CacheKey keyA;
  private CacheKey keyB;
  private StoreFixture.Layer dangling;
  private Path mount;
  private Path stat;

  @BeforeEach
  void fill() throws Exception {
    store = new StoreFixture(root);
    base = store.layer(1, 5000);
    a = store.layer(2, 3000);
    b = store.layer(3, 2000);
    keyA = store.record("a", NOW.minus(Duration.ofDays(3)), base, a);
    keyB = store.record("b", NOW.minus(Duration.ofMinutes(5)), base, b);
    dangling = store.layer(4, 700);
    Files.setLastModifiedTime(store.content.path(dangling.blob()), java.nio.file.attribute.FileTime.from(NOW.minus(Duration.ofDays(2))));
    mount = store.cacheMount("m1", 4000, NOW.minus(Duration.ofDays(10)));
    stat = store.statCache("s1", 100, NOW.minus(Duration.ofDays(10)));
  }

  private Pruner.Result prune(PruneOptions o) throws Exception {
    return new Pruner(root).prune(o, NOW);
  }

  private boolean recordExists(CacheKey k) {
    return store.records.read(k).isPresent();
  }

  @Test
  void usageCountsEveryKind() throws Exception {
    StoreUsage u = StoreUsage.scan(root);
    Map<StoreUsage.Kind, Long> counts = new java.util.EnumMap<>(StoreUsage.Kind.class);
    u.items().forEach(i -> counts.merge(i.kind(), 1L, Long::sum));
    assertEquals(Map.of(StoreUsage.Kind.RECORD, 2L, StoreUsage.Kind.LAYER, 4L, StoreUsage.Kind.SNAPSHOT, 3L,
        StoreUsage.Kind.CACHE_MOUNT, 1L, StoreUsage.Kind.STAT_CACHE, 1L), counts);
    long records = Files.size(root.resolve("records/" + keyA.digest().hex() + ".json"))
        + Files.size(root.resolve("records/" + keyB.digest().hex() + ".json"));
    assertEquals(records + (5000 + 3000 + 2000 + 700) + (5000 + 3000 + 2000) + 4000 + 100, u.total());
  }

  @Test
  void defaultRemovesRecordsLayersSnapshotsAndStatCachesButKeepsCacheMounts() throws Exception {
    Pruner.Result r = prune(DEFAULT);
    assertEquals(Map.of(StoreUsage.Kind.RECORD, 2, StoreUsage.Kind.LAYER, 4, StoreUsage.Kind.SNAPSHOT, 3,
        StoreUsage.Kind.STAT_CACHE, 1), r.removed());
    assertTrue(Files.exists(mount));
    assertEquals(4000, r.totalAfter());
    assertEquals(java.util.List.of(), store.content.list());
  }

  @Test
  void allRemovesCacheMountsToo() throws Exception {
    Pruner.Result r = prune(new PruneOptions(true, Optional.empty(), Optional.empty(), Set.of(), false));
    assertFalse(Files.exists(mount));
    assertEquals(0, r.totalAfter());
    assertEquals(0, StoreUsage.scan(root).items().size());
  }

  @Test
  void untilKeepsWhatWasUsedRecentlyAndTheLayersItNames() throws Exception {
    Pruner.Result r = prune(new PruneOptions(false, Optional.empty(), Optional.of(Duration.ofHours(24)), Set.of(), false));
    assertFalse(recordExists(keyA));
    assertTrue(recordExists(keyB));
    assertTrue(store.content.has(base.blob()), "the base layer is still named by B");
    assertTrue(store.content.has(b.blob()));
    assertFalse(store.content.has(a.blob()));
    assertFalse(store.content.has(dangling.blob()), "dangling for 2 days");
    assertFalse(Files.exists(store.snapshotOf(base, a)));
    assertTrue(Files.exists(store.snapshotOf(base, b)));
    assertTrue(Files.exists(store.snapshotOf(base)));
    assertFalse(Files.exists(stat), "unused for 10 days");
    assertEquals(Map.of(StoreUsage.Kind.RECORD, 1, StoreUsage.Kind.LAYER, 2, StoreUsage.Kind.SNAPSHOT, 1,
        StoreUsage.Kind.STAT_CACHE, 1), r.removed());
    assertTrue(store.records.get(keyB).isPresent(), "B still hits");
  }

  @Test
  void typeCacheMountRemovesOnlyCacheMounts() throws Exception {
    Pruner.Result r = prune(new PruneOptions(false, Optional.empty(), Optional.empty(), Set.of("exec.cachemount"), false));
    assertEquals(Map.of(StoreUsage.Kind.CACHE_MOUNT, 1), r.removed());
    assertFalse(Files.exists(mount));
    assertTrue(recordExists(keyA) && recordExists(keyB) && Files.exists(stat));
  }

  @Test
  void typeSourceLocalRemovesOnlyStatCaches() throws Exception {
    Pruner.Result r = prune(new PruneOptions(false, Optional.empty(), Optional.empty(), Set.of("source.local"), false));
    assertEquals(Map.of(StoreUsage.Kind.STAT_CACHE, 1), r.removed());
    assertEquals(100, r.reclaimed());
  }

  @Test
  void typeRegularRemovesRecordsAndTheirData() throws Exception {
    Pruner.Result r = prune(new PruneOptions(false, Optional.empty(), Optional.empty(), Set.of("regular"), false));
    assertEquals(Map.of(StoreUsage.Kind.RECORD, 2, StoreUsage.Kind.LAYER, 4, StoreUsage.Kind.SNAPSHOT, 3), r.removed());
    assertTrue(Files.exists(mount) && Files.exists(stat));
  }

  @Test
  void keepStorageRemovesLeastRecentlyUsedFirstAndStopsAtTheBound() throws Exception {
    long total = StoreUsage.scan(root).total();
    // the oldest regular items: the stat cache (10 days, 100B), the dangling blob (2 days, 700B), then A (3 days?)
    // order by last use: stat (10d), A (3d), dangling (2d), B (5min); removing stat + A frees 100 + A's record + 3000 + 3000
    long recordA = Files.size(root.resolve("records/" + keyA.digest().hex() + ".json"));
    long keep = total - 100 - recordA - 6000;
    Pruner.Result r = prune(new PruneOptions(false, Optional.of(keep), Optional.empty(), Set.of(), false));
    assertEquals(total - keep, r.reclaimed());
    assertEquals(keep, r.totalAfter());
    assertFalse(recordExists(keyA));
    assertTrue(recordExists(keyB));
    assertTrue(store.content.has(dangling.blob()), "the bound was reached before the dangling blob's turn");
    assertTrue(Files.exists(mount), "cache mounts are not pruned without --all");
  }

  @Test
  void verifyDropsCorruptBlobsAndTheRecordsThatNameThem() throws Exception {
    Files.write(store.content.path(a.blob()), new byte[] {9, 9, 9});
    Files.writeString(root.resolve("records/" + "0".repeat(64) + ".json"), "{not json");
    Pruner.Result r = prune(new PruneOptions(false, Optional.empty(), Optional.of(Duration.ofDays(365)), Set.of(), true));
    assertEquals(new Pruner.Verified(1, 2), r.verified());
    assertFalse(store.content.has(a.blob()));
    assertFalse(recordExists(keyA), "A names the corrupt blob");
    assertFalse(Files.exists(root.resolve("records/" + "0".repeat(64) + ".json")), "unreadable records go");
    assertTrue(store.records.get(keyB).isPresent());
    assertEquals(Map.of(StoreUsage.Kind.LAYER, 1, StoreUsage.Kind.RECORD, 2), r.removed());
  }
}
