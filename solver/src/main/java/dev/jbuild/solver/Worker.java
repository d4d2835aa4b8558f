package dev.jbuild.solver;

import dev.jbuild.cache.RecordSource;
import dev.jbuild.cache.ContentStore;
import dev.jbuild.nativeexec.Executor;
import dev.jbuild.nativeexec.MissingPrerequisiteException;
import dev.jbuild.nativeexec.Snapshotter;
import dev.jbuild.registry.RegistryClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The machinery a solve runs on: the store, snapshots, the OCI runtime (found only when a
 * process must actually run, so fully cached builds need none) and the registry client.
 */
public final class Worker implements AutoCloseable {
  /** Supplies the process executor on first use. */
  @FunctionalInterface
  public interface ExecutorSupplier {
    Executor get() throws MissingPrerequisiteException;
  }

  final ContentStore content;
  final RecordSource records;
  final SnapshotStore snapshots;
  final RegistryClient registry;
  final StatCache statCache;
  final Optional<Instant> sourceDateEpoch;
  final RunOptions runOptions;
  final CacheMounts cacheMounts;
  private final ExecutorSupplier executorSupplier;
  private Executor executor;

  public Worker(Path root, ContentStore content, RecordSource records, Snapshotter snapshotter,
      ExecutorSupplier executor, RegistryClient registry, Optional<Instant> sourceDateEpoch) throws IOException {
    this(root, content, records, snapshotter, executor, registry, sourceDateEpoch, RunOptions.DEFAULT);
  }

  /** @param runOptions secrets and ssh agents RUN mounts may use (their network and entitlements are the frontend's) */
  public Worker(Path root, ContentStore content, RecordSource records, Snapshotter snapshotter,
      ExecutorSupplier executor, RegistryClient registry, Optional<Instant> sourceDateEpoch, RunOptions runOptions)
      throws IOException {
    this.runOptions = runOptions;
    this.cacheMounts = new CacheMounts(root);
    this.content = content;
    this.records = records;
    this.snapshots = new SnapshotStore(root, content, snapshotter, sourceDateEpoch);
    this.statCache = new StatCache(root.resolve("statcache"));
    this.executorSupplier = executor;
    this.registry = registry;
    this.sourceDateEpoch = sourceDateEpoch;
  }

  public ContentStore content() {
    return content;
  }

  /** Call after the solver has stopped: removes this process's scratch space. */
  @Override
  public void close() throws IOException {
    snapshots.close();
  }

  synchronized Executor executor() throws MissingPrerequisiteException {
    if (executor == null) {
      executor = executorSupplier.get();
    }
    return executor;
  }
}
