package dev.jbuild.solver;

import dev.jbuild.cache.CacheKey;
import dev.jbuild.cache.CacheRecord;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Layer;
import dev.jbuild.progress.Progress;
import dev.jbuild.progress.ProgressEvent;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a build graph: every vertex gets a content-addressed cache key; a vertex whose key has a
 * record is not run (reported CACHED); vertices with equal keys run once, even when they come from
 * different target platforms or stages. A vertex starts all its inputs before it waits for any, so
 * independent branches run concurrently (processes bounded by {@link SolveOptions#maxParallelProcesses}).
 * The first failure cancels every other step and is the one error reported.
 */
public final class Solver implements AutoCloseable {
  /** How long a failed solve waits for canceled steps to kill their processes and unmount. */
  private static final long CANCEL_WAIT_MILLIS = 60_000;

  private final Worker worker;
  private final Progress progress;
  private final SolveOptions options;
  private final CacheKeys keys;
  private final HttpFetcher http;
  private final GitFetcher git;
  private final Semaphore processSlots;
  private final Cancellation cancellation = new Cancellation();
  private final Map<CacheKey, CompletableFuture<FsState>> results = new ConcurrentHashMap<>();
  private final Set<CacheKey> announced = ConcurrentHashMap.newKeySet();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "jbuild-solver");
    t.setDaemon(true);
    return t;
  });

  private volatile MissLog misses;

  /** Explains every cache miss in the progress stream relative to {@code log}, and records this build in it. */
  public void explainMisses(MissLog log) {
    this.misses = log;
  }

  public Solver(Worker worker, Progress progress, SolveOptions options) {
    this.worker = worker;
    this.progress = progress;
    this.options = options;
    this.http = new HttpFetcher(worker.content);
    this.git = new GitFetcher();
    this.keys = new CacheKeys(http, git, worker.statCache);
    this.processSlots = new Semaphore(options.maxParallelProcesses());
  }

  /** Solves {@code v} and its inputs; blocks until done. */
  public FsState solve(Vertex v) throws SolveException, InterruptedException {
    return solveAll(List.of(v)).get(0);
  }

  /**
   * Solves several vertices concurrently (e.g. one per platform). On failure, waits until the
   * canceled steps have stopped, then throws the first failure.
   */
  public List<FsState> solveAll(List<Vertex> vertices) throws SolveException, InterruptedException {
    List<CompletableFuture<FsState>> fs = new ArrayList<>();
    for (Vertex v : vertices) {
      fs.add(solveAsync(v));
    }
    try {
      return allOrFirstFailure(fs).get();
    } catch (ExecutionException e) {
      cancellation.awaitIdle(CANCEL_WAIT_MILLIS);
      Optional<SolveException> first = cancellation.first();
      if (first.isPresent()) {
        throw first.get();
      }
      Throwable c = unwrap(e);
      throw c instanceof SolveException s ? s : new SolveException(vertices.get(0), messageOf(c), c);
    }
  }

  /** The result of {@code v}, shared by every vertex with the same cache key; starts it if needed. */
  public CompletableFuture<FsState> solveAsync(Vertex v) {
    CacheKey key;
    try {
      key = keys.of(v);
    } catch (SourceSelection.SourceNotFoundException e) {
      return failedBeforeStart(new SolveException(v, sourceNotFound(e)));
    } catch (Exception e) {
      return failedBeforeStart(new SolveException(v, "cannot compute the cache key: " + e.getMessage(), e));
    }
    MissLog log = misses;
    if (log != null) {
      log.record(v.name(), keys.described(v));
    }
    CompletableFuture<FsState> existing = results.get(key);
    if (existing != null) {
      return existing;
    }
    CompletableFuture<FsState> result = new CompletableFuture<>();
    existing = results.putIfAbsent(key, result);
    if (existing != null) {
      return existing;
    }
    pool.execute(() -> start(v, key, result));
    return result;
  }

  private CompletableFuture<FsState> failedBeforeStart(SolveException e) {
    if (cancellation.claim(e)) {
      cancellation.cancelOthers();
    }
    return CompletableFuture.failedFuture(e);
  }

  /** Finds the result without work (record, local image) or starts all inputs, then runs when they are done. */
  private void start(Vertex v, CacheKey key, CompletableFuture<FsState> result) {
    try {
      if (cancellation.failed()) {
        result.completeExceptionally(new Canceled());
        return;
      }
      OpHandler handler = OpHandler.of(v.op());
      String missReason = null;
      if (!options.noCache() && !v.ignoresCache() && handler.recorded()) {
        Optional<CacheRecord> hit = worker.records.get(key);
        if (hit.isPresent()) {
          announceCached(v, key);
          result.complete(fromRecord(hit.get()));
          return;
        }
        MissLog log = misses;
        missReason = log == null ? null : log.explain(v.name(), keys.described(v));
      }
      String reason = missReason;
      Optional<FsState> available = handler.alreadyAvailable(worker);
      if (available.isPresent()) {
        if (!(v.op() instanceof Op.Scratch)) {
          announceCached(v, key);
        }
        result.complete(available.get());
        return;
      }
      List<CompletableFuture<FsState>> inputs = new ArrayList<>();
      for (Vertex in : v.op().inputs()) {
        inputs.add(solveAsync(in)); // every input is started before any is waited for
      }
      allOrFirstFailure(inputs).whenCompleteAsync((states, failure) -> {
        if (failure != null) {
          result.completeExceptionally(unwrap(failure));
        } else {
          run(v, key, handler, states, result, reason);
        }
      }, pool);
    } catch (RuntimeException | Error e) {
      SolveException s = new SolveException(v, messageOf(e), e);
      if (cancellation.claim(s)) {
        cancellation.cancelOthers();
      }
      result.completeExceptionally(s);
    }
  }

  private void run(Vertex v, CacheKey key, OpHandler handler, List<FsState> inputs, CompletableFuture<FsState> result,
      String missReason) {
    if (!cancellation.enter()) {
      result.completeExceptionally(new Canceled());
      return;
    }
    int n = 0;
    long start = System.nanoTime();
    boolean slot = false;
    try {
      if (handler.runsProcess()) { // shown as started only once its process may run
        processSlots.acquire();
        slot = true;
      }
      n = progress.nextVertex();
      start = System.nanoTime();
      progress.listener().onEvent(new ProgressEvent.Started(n, v.name()));
      if (missReason != null) {
        progress.listener().onEvent(new ProgressEvent.CacheMiss(n, missReason));
      }
      FsState state = handler.exec(inputs, new StepContext(worker, http, git, pool, progress.listener(), n));
      if (handler.recorded()) {
        worker.records.put(key, toRecord(state));
      }
      progress.listener().onEvent(new ProgressEvent.Completed(n, elapsedSince(start)));
      result.complete(state);
    } catch (Exception | Error e) {
      String message = e instanceof SourceSelection.SourceNotFoundException s ? sourceNotFound(s)
          : e instanceof InterruptedException ? "interrupted" : messageOf(e);
      SolveException failure = new SolveException(v, message, e);
      boolean first = cancellation.claim(failure);
      if (n > 0) { // started: its progress block ends as an error, or canceled when another failed first
        progress.listener().onEvent(first ? new ProgressEvent.Failed(n, elapsedSince(start), message)
            : new ProgressEvent.Canceled(n, elapsedSince(start)));
      }
      if (first) {
        cancellation.cancelOthers();
      }
      result.completeExceptionally(failure);
    } finally {
      if (slot) {
        processSlots.release();
      }
      cancellation.exit();
    }
  }

  private static Duration elapsedSince(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime);
  }

  /** Completes with all results in order, or exceptionally as soon as any one fails (not after all). */
  private static CompletableFuture<List<FsState>> allOrFirstFailure(List<CompletableFuture<FsState>> fs) {
    CompletableFuture<List<FsState>> all = new CompletableFuture<>();
    if (fs.isEmpty()) {
      all.complete(List.of());
      return all;
    }
    AtomicInteger left = new AtomicInteger(fs.size());
    for (CompletableFuture<FsState> f : fs) {
      f.whenComplete((state, failure) -> {
        if (failure != null) {
          all.completeExceptionally(failure);
        } else if (left.decrementAndGet() == 0) {
          all.complete(fs.stream().map(CompletableFuture::join).toList());
        }
      });
    }
    return all;
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
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
            && (!OpHandler.of(in.op()).recorded() || worker.records.get(k).isPresent())) {
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

  /** A step not run because another failed first; never reported (the first failure is). */
  private static final class Canceled extends Exception {
    Canceled() {
      super("canceled", null, false, false);
    }
  }

  /**
   * Stops steps still running (after a failure elsewhere) and waits for them: each unmounts and
   * kills its process as it unwinds, so nothing is left mounted or running when a build ends.
   */
  @Override
  public void close() throws InterruptedException {
    pool.shutdownNow();
    if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("build steps did not stop within 60s after the build ended");
    }
  }
}
