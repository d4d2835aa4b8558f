package dev.jbuild.cli;

import dev.jbuild.cache.StoreJanitor;
import dev.jbuild.cache.StoreSession;
import dev.jbuild.nativeexec.OciRuntimeExecutor;
import java.io.IOException;
import java.nio.file.Path;

/** What every command that opens the store does first: remove what killed builds left behind. */
final class StoreMaintenance {
  private StoreMaintenance() {}

  /** Leftovers in the store and runtime bundles (which may hold secrets) in /dev/shm, all of them (prune). */
  static void cleanLeftovers(Path storeRoot) throws IOException {
    StoreJanitor.clean(storeRoot);
    OciRuntimeExecutor.removeStaleBundles();
  }

  /**
   * A build's use of the store: the store's leftovers are looked for only when an earlier process
   * died while using it; /dev/shm (not the store, one short listing) is swept every time because
   * bundles of a killed build with another store may hold secrets.
   */
  static StoreSession open(Path storeRoot) throws IOException {
    StoreSession session = StoreSession.open(storeRoot);
    OciRuntimeExecutor.removeStaleBundles();
    return session;
  }
}
