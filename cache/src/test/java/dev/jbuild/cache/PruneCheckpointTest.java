package dev.jbuild.cache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint lets a build skip the store scan of an automatic prune while nothing was added or removed. */
class PruneCheckpointTest {
  @TempDir Path root;

  @Test
  void aStoreJustRecordedIsTrustedUntilAnItemDirectoryChangesOrTheBoundDoes() throws Exception {
    for (String d : new String[] {"records", "blobs/sha256", "snapshots", "statcache"}) {
      Files.createDirectories(root.resolve(d));
    }
    Files.writeString(root.resolve("records").resolve("a.json"), "{}"); // a change right before recording
    assertTrue(PruneCheckpoint.stale(root, 1000), "never recorded");
    PruneCheckpoint.record(root, 1000);
    assertFalse(PruneCheckpoint.stale(root, 1000), "trusted at once, although the last change is within a tick");
    assertTrue(PruneCheckpoint.stale(root, 2000), "another bound");
    Files.setLastModifiedTime(root.resolve("snapshots"), FileTime.from(Instant.now().plusSeconds(5)));
    assertTrue(PruneCheckpoint.stale(root, 1000), "a directory's time moved");
    PruneCheckpoint.record(root, 1000);
    assertFalse(PruneCheckpoint.stale(root, 1000));
    Files.createDirectories(root.resolve("cache-mounts"));
    assertTrue(PruneCheckpoint.stale(root, 1000), "a directory appeared");
  }

  @Test
  void aDamagedCheckpointMeansScanning() throws Exception {
    Files.createDirectories(root.resolve("records"));
    PruneCheckpoint.record(root, 1000);
    Files.write(root.resolve("prune-checkpoint"), new byte[] {0, 0, 0, 0});
    assertTrue(PruneCheckpoint.stale(root, 1000));
    Files.writeString(root.resolve("prune-checkpoint"), "1000\nx\n1 2 3 4 5\n");
    assertTrue(PruneCheckpoint.stale(root, 1000));
  }
}
