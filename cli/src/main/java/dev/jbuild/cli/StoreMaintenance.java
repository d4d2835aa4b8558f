package dev.jbuild.cli;

import dev.jbuild.cache.StoreJanitor;
import dev.jbuild.nativeexec.OciRuntimeExecutor;
import java.io.IOException;
import java.nio.file.Path;

/** What every command that opens the store does first: remove what killed builds left behind. */
final class StoreMaintenance {
  private StoreMaintenance() {}

  /** Leftovers in the store and runtime bundles (which may hold secrets) in /dev/shm. */
  static void cleanLeftovers(Path storeRoot) throws IOException {
    StoreJanitor.clean(storeRoot);
    OciRuntimeExecutor.removeStaleBundles();
  }
}
