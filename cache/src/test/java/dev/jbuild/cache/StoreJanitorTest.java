package dev.jbuild.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leftovers of killed writers, verification on close, and the atomic rename. */
class StoreJanitorTest {
  @TempDir Path root;

  /** A pid that certainly belongs to no process now: a child that has exited. */
  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long pid = p.pid();
    assertFalse(StoreJanitor.isAlive(pid));
    return pid;
  }

  @Test
  void removesTempFilesOfDeadProcessesOnlyAndOldPartials() throws Exception {
    ContentStore store = new ContentStore(root);
    CacheRecords records = new CacheRecords(root, store);
    long dead = deadPid();
    Path deadIngest = Files.write(root.resolve("ingest/" + dead + "-blob123.tmp"), new byte[10]);
    Path deadRecord = Files.write(root.resolve("records/" + dead + "-file9.tmp"), new byte[3]);
    Path legacy = Files.write(root.resolve("ingest/blob77.tmp"), new byte[3]);
    Path partial = Files.write(root.resolve("blobs/sha256/.abc.123.partial"), new byte[3]);
    Path mine = AtomicFiles.tempFile(root.resolve("ingest"), "blob");
    Path deadStaging = Files.createDirectories(root.resolve("cache-mounts/abc/.new-0-" + dead + "-123/sub"));
    Files.writeString(deadStaging.resolve("f"), "half-filled");
    Path liveStaging = Files.createDirectories(root.resolve("cache-mounts/abc/.new-1-" + ProcessHandle.current().pid() + "-9"));
    Path instance = Files.createDirectories(root.resolve("cache-mounts/abc/0"));
    Digest kept = store.put(new byte[] {1, 2});
    records.put(CacheKey.of(Map.of("op", "x")), new CacheRecord(List.of(), false, null));

    assertEquals(5, StoreJanitor.clean(root));

    for (Path gone : List.of(deadIngest, deadRecord, legacy, partial, deadStaging.getParent())) {
      assertFalse(Files.exists(gone), gone + " is a dead writer's leftover");
    }
    assertTrue(Files.exists(mine), "a live process's temp file is left alone");
    assertTrue(Files.exists(liveStaging) && Files.exists(instance));
    assertTrue(store.verify(kept));
    assertTrue(records.get(CacheKey.of(Map.of("op", "x"))).isPresent());
  }

  @Test
  void aGzipReaderThatStopsAtItsTrailerStillVerifiesOnClose() throws Exception {
    ContentStore store = new ContentStore(root);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write("layer".getBytes());
    }
    bytes.write(new byte[4096]); // padding after the gzip trailer, which a gzip reader never reads
    Digest d = store.put(bytes.toByteArray());
    byte[] corrupt = bytes.toByteArray();
    corrupt[corrupt.length - 1] = 7;
    Files.write(store.path(d), corrupt);

    InputStream raw = store.open(d);
    GZIPInputStream gz = new GZIPInputStream(raw);
    byte[] first = gz.readNBytes(5);
    assertEquals("layer", new String(first));
    assertThrows(CorruptContentException.class, gz::close);
    assertFalse(store.has(d), "the corrupt blob is removed");
  }

  @Test
  void aReaderThatStopsEarlyOnAGoodBlobClosesCleanly() throws Exception {
    ContentStore store = new ContentStore(root);
    Digest d = store.put(new byte[200_000]);
    try (InputStream in = store.open(d)) {
      assertEquals(10, in.readNBytes(10).length);
    }
    assertTrue(store.has(d));
  }

  @Test
  void aRenameAcrossFileSystemsFailsLoudly() throws Exception {
    Path shm = Path.of("/dev/shm");
    assertTrue(!Files.getFileStore(shm).equals(Files.getFileStore(root)), "the test needs /dev/shm on another file system");
    Path temp = Files.createTempFile(shm, "jbuild-test-", ".tmp");
    try {
      IOException e = assertThrows(IOException.class, () -> AtomicFiles.commit(temp, root.resolve("dest")));
      assertTrue(e.getMessage().contains("atomically"), e.getMessage());
      assertFalse(Files.exists(root.resolve("dest")));
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
