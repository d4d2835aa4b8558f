package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cache.ByteSize;
import dev.jbuild.cache.CacheKey;
import dev.jbuild.cache.CacheRecord;
import dev.jbuild.cache.CacheRecords;
import dev.jbuild.cache.ContentStore;
import dev.jbuild.cache.StoreDirectories;
import dev.jbuild.cache.StoreLock;
import dev.jbuild.cache.StoreUsage;
import dev.jbuild.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The automatic bound after builds (config file [worker.oci]), and the size and duration syntax of du/prune. */
class AutoPruneTest {
  @TempDir Path dir;

  /** Three records of one 10kB layer each, used 3, 2 and 1 hours ago. */
  private List<CacheKey> fill(Path root) throws Exception {
    ContentStore content = new ContentStore(root);
    CacheRecords records = new CacheRecords(root, content);
    List<CacheKey> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] bytes = new byte[10_000];
      bytes[0] = (byte) i;
      Digest blob = content.put(bytes);
      CacheKey k = CacheKey.of(Map.of("op", "step" + i));
      records.put(k, new CacheRecord(List.of(new CacheRecord.LayerRecord("application/vnd.oci.image.layer.v1.tar",
          blob.toString(), 10_000, blob.toString())), true, null));
      Files.setLastModifiedTime(root.resolve("records/" + k.digest().hex() + ".json"),
          FileTime.from(Instant.now().minus(Duration.ofHours(3 - i))));
      keys.add(k);
    }
    return keys;
  }

  private Path config(String body) throws Exception {
    return Files.writeString(dir.resolve("jbuild.toml"), body);
  }

  @Test
  void removesLeastRecentlyUsedRecordsBeyondTheConfiguredBound() throws Exception {
    Path root = dir.resolve("store");
    List<CacheKey> keys = fill(root);
    AutoPrune.afterBuild(root, config("[worker.oci]\ngckeepstorage = \"25kB\"\n"), w -> { throw new AssertionError(w); });
    CacheRecords records = new CacheRecords(root, new ContentStore(root));
    assertFalse(records.read(keys.get(0)).isPresent(), "the least recently used record goes");
    assertTrue(records.get(keys.get(1)).isPresent());
    assertTrue(records.get(keys.get(2)).isPresent());
    assertTrue(StoreUsage.scan(root).total() <= 25_000);
  }

  /** The store directories read while {@code action} runs. */
  private static List<Path> readsDuring(Path root, ThrowingRunnable action) throws Exception {
    List<Path> reads = java.util.Collections.synchronizedList(new ArrayList<>());
    try (AutoCloseable watch = StoreDirectories.observe(p -> {
      if (p.startsWith(root)) {
        reads.add(root.relativize(p));
      }
    })) {
      action.run();
    }
    return List.copyOf(reads);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void aStoreUnchangedSinceItWasWithinTheBoundIsNotScannedAgain() throws Exception {
    Path root = dir.resolve("store");
    List<CacheKey> keys = fill(root);
    for (String d : List.of("records", "blobs/sha256")) { // written a while ago
      Files.setLastModifiedTime(root.resolve(d), FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    }
    Path bound = config("[worker.oci]\ngckeepstorage = \"35kB\"\n");
    List<Path> first = readsDuring(root, () -> AutoPrune.afterBuild(root, bound, w -> { throw new AssertionError(w); }));
    assertTrue(first.containsAll(List.of(Path.of("records"), Path.of("blobs/sha256"))), first.toString());
    assertEquals(3, new CacheRecords(root, new ContentStore(root)).list().size(), "30kB is within 35kB");

    List<Path> cached = readsDuring(root, () -> AutoPrune.afterBuild(root, bound, w -> { throw new AssertionError(w); }));
    assertEquals(List.of(), cached, "a build that wrote nothing does not walk the store");

    // a build that adds a fourth 10kB layer takes the store beyond the bound: the oldest record goes
    ContentStore content = new ContentStore(root);
    byte[] layer = new byte[10_000];
    layer[0] = 3;
    Digest blob = content.put(layer);
    CacheKey fourth = CacheKey.of(Map.of("op", "step3"));
    new CacheRecords(root, content).put(fourth, new CacheRecord(List.of(new CacheRecord.LayerRecord(
        "application/vnd.oci.image.layer.v1.tar", blob.toString(), 10_000, blob.toString())), true, null));
    AutoPrune.afterBuild(root, bound, w -> { throw new AssertionError(w); });
    CacheRecords records = new CacheRecords(root, content);
    assertFalse(records.read(keys.get(0)).isPresent(), "the least recently used record goes");
    assertTrue(records.get(keys.get(1)).isPresent());
    assertTrue(records.get(keys.get(2)).isPresent());
    assertTrue(records.get(fourth).isPresent());
  }

  @Test
  void aLowerBoundIsAppliedAtOnce() throws Exception {
    Path root = dir.resolve("store");
    List<CacheKey> keys = fill(root);
    AutoPrune.afterBuild(root, config("[worker.oci]\ngckeepstorage = \"1GB\"\n"), w -> { });
    assertEquals(3, new CacheRecords(root, new ContentStore(root)).list().size());
    AutoPrune.afterBuild(root, config("[worker.oci]\ngckeepstorage = \"15kB\"\n"), w -> { });
    CacheRecords records = new CacheRecords(root, new ContentStore(root));
    assertEquals(List.of(keys.get(2)), records.list().stream().map(CacheRecords.Stored::key).toList());
  }

  @Test
  void aNumberIsMegabytesAsInBuildkitdToml() throws Exception {
    assertEquals(new GcSettings(true, 3_000_000L), GcSettings.load(Optional.of(config("[worker.oci]\ngckeepstorage = 3\n")), dir));
  }

  @Test
  void gcFalseTurnsTheBoundOff() throws Exception {
    Path root = dir.resolve("store");
    List<CacheKey> keys = fill(root);
    AutoPrune.afterBuild(root, config("[worker.oci]\ngc = false\ngckeepstorage = \"1kB\"\n"), w -> { });
    assertEquals(3, new CacheRecords(root, new ContentStore(root)).list().size());
    assertEquals(3, keys.size());
  }

  @Test
  void theDefaultIsATenthOfTheFileSystemAtMostTwentyGigabytes() throws Exception {
    long tenth = Files.getFileStore(dir).getTotalSpace() / 10;
    assertEquals(new GcSettings(true, Math.min(20_000_000_000L, tenth)), GcSettings.load(Optional.empty(), dir));
  }

  @Test
  void skipsWhileAnotherProcessHoldsTheStore() throws Exception {
    Path root = dir.resolve("store");
    List<CacheKey> keys = fill(root);
    // another build: a separate process holding the shared lock
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), HoldStoreLock.class.getName(), root.toString()).start();
    try {
      assertEquals("locked", new String(holder.getInputStream().readNBytes(6)));
      AutoPrune.afterBuild(root, config("[worker.oci]\ngckeepstorage = \"1kB\"\n"), w -> { });
      assertEquals(3, new CacheRecords(root, new ContentStore(root)).list().size());
    } finally {
      holder.destroy();
      holder.waitFor();
    }
    assertEquals(3, keys.size());
  }

  /** Holds the store's shared lock, as a running build does, until killed. */
  static final class HoldStoreLock {
    public static void main(String[] args) throws Exception {
      try (StoreLock l = StoreLock.shared(Path.of(args[0]))) {
        System.out.print("locked");
        System.out.flush();
        Thread.sleep(60_000);
      }
    }
  }

  @Test
  void badConfigValuesNameTheFileAndKey() throws Exception {
    Path c = config("[worker.oci]\ngckeepstorage = \"lots\"\n");
    UserError e = assertThrows(UserError.class, () -> GcSettings.load(Optional.of(c), dir));
    assertEquals(c + ": [worker.oci] gckeepstorage: \"lots\" is not a size (e.g. 512MB, 10GB, 1.5GiB or a number of bytes)",
        e.getMessage());
  }

  @Test
  void sizesUseDockersSyntax() {
    assertEquals(512_000_000L, ByteSize.parse("512MB"));
    assertEquals(1_610_612_736L, ByteSize.parse("1.5GiB"));
    assertEquals(100L, ByteSize.parse("100"));
    assertEquals("15.3MB", ByteSize.format(15_300_000));
    assertEquals("999B", ByteSize.format(999));
    assertEquals("2GB", ByteSize.format(2_000_000_000L));
  }
}
