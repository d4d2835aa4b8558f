package dev.jbuild.cli;

import dev.jbuild.cache.ByteSize;
import dev.jbuild.cache.PruneCheckpoint;
import dev.jbuild.cache.PruneOptions;
import dev.jbuild.cache.Pruner;
import dev.jbuild.cache.StoreLock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Keeps the store within its bound after a build: least recently used records first. Runs only
 * when no other build holds the store (it never waits for one; the next build catches up), and
 * scans the store only when something was added or removed since it was last within the bound.
 */
final class AutoPrune {
  private AutoPrune() {}

  static void afterBuild(Path storeRoot, Path configFlag, Consumer<String> warn) throws UserError {
    GcSettings gc = GcSettings.load(RegistrySettings.locate(configFlag), storeRoot);
    if (!gc.enabled()) {
      return;
    }
    try {
      if (!PruneCheckpoint.stale(storeRoot, gc.keepStorage())) {
        return; // nothing added or removed since the store was last within the bound
      }
      Optional<StoreLock> lock = StoreLock.tryExclusive(storeRoot);
      if (lock.isEmpty()) {
        return;
      }
      try (StoreLock held = lock.get()) {
        new Pruner(storeRoot).prune(PruneOptions.bound(gc.keepStorage()), Instant.now());
        PruneCheckpoint.record(storeRoot, gc.keepStorage());
      }
    } catch (IOException e) {
      warn.accept("could not keep the store " + storeRoot + " within " + ByteSize.format(gc.keepStorage())
          + ": " + e.getMessage());
    }
  }
}
