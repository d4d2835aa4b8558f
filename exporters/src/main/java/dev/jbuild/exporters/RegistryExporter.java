package dev.jbuild.exporters;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.solver.progress.Progress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Pushes the images to a registry: all blobs (in parallel, each only if missing, base layers
 * mounted from their source repository when it is on the same registry), then each platform's
 * manifest by digest, then the root (index or manifest) under every tag.
 */
public final class RegistryExporter implements Exporter {
  private final RegistryClient client;
  private final List<ImageReference> names;

  public RegistryExporter(RegistryClient client, List<ImageReference> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("pushing needs an image name (-t/--tag)");
    }
    this.client = client;
    this.names = List.copyOf(names);
  }

  @Override
  public ExportResult export(ImageSet set, Progress progress) throws ExportException, InterruptedException {
    List<String> pushed = new ArrayList<>();
    for (ImageReference name : names) {
      try {
        progress.step("pushing " + name, step -> {
          pushBlobs(set, name, step);
          for (ImageSet.PlatformImage img : set.images()) {
            if (set.isIndex()) {
              pushManifest(set, name, img.manifest().digestValue().toString(), img.manifest());
            }
          }
          String tag = name.tag().orElse("latest");
          pushManifest(set, name, tag, set.root());
          step.status("pushed " + set.root().digest() + " as " + name.withTag(tag));
          return null;
        });
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        throw new ExportException("pushing " + name + ": " + e.getMessage(), e);
      }
      pushed.add(name.toString());
    }
    return new ExportResult(set.root(), pushed);
  }

  private void pushBlobs(ImageSet set, ImageReference name, Progress.Step step) throws Exception {
    Map<Digest, Optional<ImageReference>> blobs = new LinkedHashMap<>();
    for (ImageSet.PlatformImage img : set.images()) {
      Optional<ImageReference> mountFrom = img.result().baseRepository()
          .map(ImageReference::parse)
          .filter(base -> base.registry().equals(name.registry()) && !base.repository().equals(name.repository()));
      for (var l : img.result().layers()) {
        blobs.putIfAbsent(l.digest(), mountFrom);
      }
      blobs.putIfAbsent(img.config().digestValue(), Optional.empty());
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, Math.max(1, blobs.size())));
    try {
      List<CompletableFuture<Void>> uploads = new ArrayList<>();
      for (Map.Entry<Digest, Optional<ImageReference>> b : blobs.entrySet()) {
        uploads.add(CompletableFuture.runAsync(() -> {
          try {
            Digest d = b.getKey();
            client.pushBlob(name, d, set.content().size(d), () -> set.content().open(d), b.getValue());
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        }, pool));
      }
      step.status("pushing " + blobs.size() + " blobs");
      try {
        CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof Exception ex ? ex : e;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void pushManifest(ImageSet set, ImageReference name, String reference, Descriptor d) throws Exception {
    byte[] bytes = set.content().readAll(d.digestValue());
    client.pushManifest(name, reference, bytes, d.mediaType());
  }
}
