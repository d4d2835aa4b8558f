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

  @Override
  public FsState exec(List<FsState> inputs, StepContext step) throws Exception {
    Worker worker = step.worker();
    ImageReference repo = ImageReference.parse(image.repository());
    List<CompletableFuture<Void>> downloads = new ArrayList<>();
    for (Layer l : image.layers()) {
      Digest d = l.digest();
      if (worker.content.has(d)) {
        continue;
      }
      downloads.add(CompletableFuture.runAsync(() -> {
        try {
          step.listener().onEvent(new ProgressEvent.Status(step.vertex(), "pulling " + d.shortHex()));
          BlobPull.into(worker.content, worker.registry, repo, d);
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      }, step.pool()));
    }
    try {
      CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new)).get(); // interruptible, unlike join
    } catch (ExecutionException e) {
      Throwable c = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
      throw c instanceof Exception ex ? ex : e;
    }
    return state();
  }

  private FsState state() {
    return new FsState(image.layers(), false, Optional.empty());
  }
}
