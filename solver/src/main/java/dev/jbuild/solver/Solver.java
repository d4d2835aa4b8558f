package dev.jbuild.solver;

import dev.jbuild.cache.CacheKey;
import dev.jbuild.cache.CacheRecord;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.solver.progress.Progress;
import dev.jbuild.solver.progress.ProgressEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs a build graph: every vertex gets a content-addressed cache key; a vertex whose key has a
 * record is not run (reported CACHED); vertices with equal keys run once, even when they come from
 * different target platforms; independent vertices run in parallel.
 */
public final class Solver implements AutoCloseable {
  private final Worker worker;
  private final Progress progress;
  private final SolveOptions options;
  private final CacheKeys keys;
  private final Map<CacheKey, CompletableFuture<FsState>> results = new ConcurrentHashMap<>();
  private final Set<CacheKey> announced = ConcurrentHashMap.newKeySet();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "jbuild-solver");
    t.setDaemon(true);
    return t;
  });
  private final OpRunner runner;
  /** The first real failure; later steps are canceled and report this one, not themselves. */
  private final java.util.concurrent.atomic.AtomicReference<SolveException> firstFailure =
      new java.util.concurrent.atomic.AtomicReference<>();

  public Solver(Worker worker, Progress progress, SolveOptions options) {
    this.worker = worker;
    this.progress = progress;
    this.options = options;
    HttpFetcher http = new HttpFetcher(worker.content);
    GitFetcher git = new GitFetcher();
    this.keys = new CacheKeys(http, worker.statCache).withGit(git);
    this.runner = new OpRunner(worker, http, pool, options.maxParallelProcesses(), progress.listener()).withGit(git);
  }

  /** Solves {@code v} and its inputs; blocks until done. */
  public FsState solve(Vertex v) throws SolveException, InterruptedException {
    try {
      return solveAsync(v).join();
    } catch (CompletionException e) {
      throw unwrap(v, e);
    }
  }

  /** Solves several vertices concurrently (e.g. one per platform), failing on the first error. */
  public List<FsState> solveAll(List<Vertex> vertices) throws SolveException, InterruptedException {
    List<CompletableFuture<FsState>> fs = new ArrayList<>();
    for (Vertex v : vertices) {
      fs.add(solveAsync(v));
    }
    List<FsState> out = new ArrayList<>();
    for (int i = 0; i < fs.size(); i++) {
      try {
        out.add(fs.get(i).join());
      } catch (CompletionException e) {
        throw unwrap(vertices.get(i), e);
      }
    }
    return out;
  }

  public CompletableFuture<FsState> solveAsync(Vertex v) {
    CacheKey key;
    try {
      key = keys.of(v);
    } catch (SourceSelection.SourceNotFoundException e) {
      return CompletableFuture.failedFuture(new SolveException(v, sourceNotFound(e)));
    } catch (Exception e) {
      return CompletableFuture.failedFuture(new SolveException(v, "cannot compute the cache key: " + e.getMessage(), e));
    }
    return results.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> {
      try {
        return run(v, k);
      } catch (SolveException e) {
        firstFailure.compareAndSet(null, e);
        throw new CompletionException(e);
      }
    }, pool));
  }

  private FsState run(Vertex v, CacheKey key) throws SolveException {
    Op op = v.op();
    if (op instanceof Op.Scratch) {
      return FsState.EMPTY;
    }
    if (!options.noCache() && !v.ignoresCache() && !(op instanceof Op.Image)) {
      Optional<CacheRecord> hit = worker.records.get(key);
      if (hit.isPresent()) {
        announceCached(v, key);
        return fromRecord(hit.get());
      }
    }
    List<FsState> inputs = new ArrayList<>();
    for (Vertex in : op.inputs()) {
      try {
        inputs.add(solveAsync(in).join());
      } catch (CompletionException e) {
        throw unwrap(in, e);
      }
    }
    SolveException earlier = firstFailure.get();
    if (earlier != null) {
      throw earlier;
    }
    if (op instanceof Op.Image image && runner.isLocal(image)) {
      announceCached(v, key);
      return new FsState(image.layers(), false, Optional.empty());
    }
    int n = progress.nextVertex();
    long start = System.nanoTime();
    progress.listener().onEvent(new ProgressEvent.Started(n, v.name()));
    try {
      FsState result = runner.run(op, inputs, n);
      if (!(op instanceof Op.Image)) {
        worker.records.put(key, toRecord(result));
      }
      progress.listener().onEvent(new ProgressEvent.Completed(n, Duration.ofNanos(System.nanoTime() - start)));
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      progress.listener().onEvent(new ProgressEvent.Failed(n, Duration.ofNanos(System.nanoTime() - start), "interrupted"));
      throw new SolveException(v, "interrupted", e);
    } catch (Exception e) {
      String message = e instanceof SourceSelection.SourceNotFoundException s ? sourceNotFound(s) : messageOf(e);
      progress.listener().onEvent(new ProgressEvent.Failed(n, Duration.ofNanos(System.nanoTime() - start), message));
      throw new SolveException(v, message, e);
    }
  }

  /** Reports {@code v} and the recorded part of its inputs as CACHED, each once. */
  private void announceCached(Vertex v, CacheKey key) {
    if (!announced.add(key)) {
      return;
    }
    for (Vertex in : v.op().inputs()) {
      try {
        CacheKey k = keys.of(in);
        if (!results.containsKey(k) && !(in.op() instanceof Op.Scratch)
            && (in.op() instanceof Op.Image || worker.records.get(k).isPresent())) {
          announceCached(in, k);
        }
      } catch (Exception ignored) {
        // an input whose key cannot be computed was not needed: the record above covers it
      }
    }
    progress.listener().onEvent(new ProgressEvent.Cached(progress.nextVertex(), v.name()));
  }

  private static String sourceNotFound(SourceSelection.SourceNotFoundException e) {
    return "\"" + e.getMessage() + "\": not found";
  }

  private static String messageOf(Throwable e) {
    if (e instanceof java.nio.file.NoSuchFileException f) {
      return f.getFile() + ": no such file or directory";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getFile() + ": " + f.getReason();
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private SolveException unwrap(Vertex v, CompletionException e) {
    SolveException first = firstFailure.get();
    if (first != null) {
      return first;
    }
    Throwable c = e.getCause();
    if (c instanceof SolveException s) {
      return s;
    }
    return new SolveException(v, messageOf(c), c);
  }

  private static CacheRecord toRecord(FsState s) {
    List<CacheRecord.LayerRecord> layers = new ArrayList<>();
    for (Layer l : s.layers()) {
      layers.add(new CacheRecord.LayerRecord(l.blob().mediaType(), l.blob().digest(), l.blob().size(),
          l.diffId().toString()));
    }
    return new CacheRecord(layers, s.addedLayer(), s.createdAt().map(Instant::toString).orElse(null));
  }

  private static FsState fromRecord(CacheRecord r) {
    List<Layer> layers = new ArrayList<>();
    for (CacheRecord.LayerRecord l : r.layers()) {
      layers.add(new Layer(new Descriptor(l.mediaType(), l.digest(), l.size(), Map.of(), null), Digest.parse(l.diffId())));
    }
    return new FsState(layers, r.addedLayer(), Optional.ofNullable(r.createdAt()).map(Instant::parse));
  }

  /**
   * Stops steps still running (after a failure elsewhere) and waits for them: each unmounts and
   * kills its process as it unwinds, so nothing is left mounted or running when a build ends.
   */
  @Override
  public void close() throws InterruptedException {
    pool.shutdownNow();
    if (!pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new IllegalStateException("build steps did not stop within 60s after the build ended");
    }
  }
}
