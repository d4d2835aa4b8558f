package dev.jbuild.solver;

import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Layer;
import dev.jbuild.progress.ProgressEvent;
import dev.jbuild.registry.ImageReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** A registry image for one platform: keyed by its pinned manifest; executing it fetches missing blobs. */
final class ImageHandler implements OpHandler {
  private final Op.Image image;

  ImageHandler(Op.Image image) {
    this.image = image;
  }

  @Override
  public Map<String, Object> cacheMap(KeyInputs keys) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("op", "image");
    d.put("ref", image.pinnedRef());
    d.put("platform", image.platform().toString());
    return d;
  }

  /** All blobs local: reported CACHED, nothing to pull. */
  @Override
  public Optional<FsState> alreadyAvailable(Worker worker) {
    boolean local = image.layers().stream().allMatch(l -> worker.content.has(l.digest()));
    return local ? Optional.of(state()) : Optional.empty();
  }

  /** The pinned digest names the result: a record would add nothing. */
  @Override
  public boolean recorded() {
    return false;
  }

  /**
   * Downloads the missing layers in parallel (a few at a time) and unpacks each while it downloads,
   * so pulling and extracting show on this step, as BuildKit's "extracting sha256:…" does; layers
   * whose blob is local but not unpacked are unpacked here too.
   */
  @Override
  public FsState exec(List<FsState> inputs, StepContext step) throws Exception {
    Worker worker = step.worker();
    ImageReference repo = ImageReference.parse(image.repository());
    List<Layer> chain = image.layers();
    ConcurrentLinkedQueue<Integer> todo = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < chain.size(); i++) {
      todo.add(i);
    }
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int w = 0; w < Math.min(PARALLEL_LAYERS, chain.size()); w++) {
      workers.add(CompletableFuture.runAsync(() -> {
        try {
          for (Integer i; (i = todo.poll()) != null; ) {
            pull(worker, repo, chain, i, step);
          }
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      }, step.pool()));
    }
    try {
      CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(); // interruptible, unlike join
    } catch (ExecutionException e) {
      Throwable c = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
      throw c instanceof Exception ex ? ex : e;
    } finally {
      todo.clear(); // the other workers stop after their current layer
    }
    return state();
  }

  /** Layers downloaded and unpacked at the same time, as BuildKit's default of three downloads. */
  private static final int PARALLEL_LAYERS = 3;

  private static void pull(Worker worker, ImageReference repo, List<Layer> chain, int i, StepContext step)
      throws Exception {
    Digest d = chain.get(i).digest();
    if (!worker.content.has(d)) {
      step.listener().onEvent(new ProgressEvent.Status(step.vertex(), "pulling and extracting " + d));
      BlobPull.streamed(worker.registry, repo, d, in -> worker.snapshots.unpackWhileStoring(chain, i, in));
    } else if (!worker.snapshots.isUnpacked(chain.subList(0, i + 1))) {
      step.listener().onEvent(new ProgressEvent.Status(step.vertex(), "extracting " + d));
      worker.snapshots.unpack(chain, i);
    }
  }

  private FsState state() {
    return new FsState(image.layers(), false, Optional.empty());
  }
}
