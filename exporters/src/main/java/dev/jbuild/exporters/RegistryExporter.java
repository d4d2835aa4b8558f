package dev.jbuild.exporters;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.progress.Progress;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
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
 * Pushes the images to a registry ({@code --push}, {@code -o type=registry},
 * {@code -o type=image,push=true}). Per repository: all blobs in parallel, each only if missing
 * (HEAD first), base layers mounted from their source repository and blobs mounted from a
 * repository pushed just before when on the same registry; then each platform's manifest by
 * digest; the root (index or manifest) last, under every tag — or only by digest with
 * {@code push-by-digest=true}.
 */
public final class RegistryExporter implements Exporter {
  private static final int PARALLEL_UPLOADS = 8;

  private final RegistryClient client;
  private final List<ImageReference> names;
  private final ImageFormat format;
  private final boolean byDigest;
  private final boolean nameCanonical;

  /**
   * @param byDigest push the root by digest only, no tags ({@code push-by-digest=true})
   * @param nameCanonical also report {@code name@digest} ({@code name-canonical=true})
   */
  public RegistryExporter(RegistryClient client, List<ImageReference> names, ImageFormat format, boolean byDigest,
                          boolean nameCanonical) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("pushing needs an image name (-t/--tag)");
    }
    this.client = client;
    this.names = List.copyOf(names);
    this.format = format;
    this.byDigest = byDigest;
    this.nameCanonical = nameCanonical;
  }

  public RegistryExporter(RegistryClient client, List<ImageReference> names) {
    this(client, names, ImageFormat.DEFAULT, false, false);
  }

  @Override
  public ExportResult export(ImageSet images, Progress progress) throws ExportException, InterruptedException {
    ImageSet set = Exporters.inFormat(images, format, progress, "pushing " + names.get(0));
    Map<String, List<ImageReference>> byRepository = new LinkedHashMap<>();
    for (ImageReference n : names) {
      byRepository.computeIfAbsent(n.repositoryName(), k -> new ArrayList<>()).add(n);
    }
    List<String> reported = new ArrayList<>();
    Map<String, ImageReference> pushedOnRegistry = new LinkedHashMap<>();
    for (List<ImageReference> refs : byRepository.values()) {
      ImageReference repo = refs.get(0);
      String label = byDigest ? repo.repositoryName() : String.join(", ", refs.stream().map(this::tagged).toList());
      try {
        progress.step("pushing " + label, step -> {
          pushBlobs(set, repo, Optional.ofNullable(pushedOnRegistry.get(repo.registry())), step);
          if (set.isIndex()) {
            for (ImageSet.PlatformImage img : set.images()) {
              pushManifest(set, repo, img.manifest().digest(), img.manifest());
            }
            for (AttestationManifests.Entry a : set.attestations()) {
              pushManifest(set, repo, a.manifest().digest(), a.manifest());
            }
          }
          if (byDigest) {
            pushManifest(set, repo, set.root().digest(), set.root());
            step.status("pushed " + repo.pinned(set.root().digestValue()));
          } else {
            for (ImageReference r : refs) {
              pushManifest(set, repo, r.tag().orElse(ImageReference.DEFAULT_TAG), set.root());
            }
            step.status("pushed " + set.root().digest() + " as " + label);
          }
          return null;
        });
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        throw new ExportException("pushing " + label + ": " + Exporters.describe(e), e);
      }
      pushedOnRegistry.putIfAbsent(repo.registry(), repo);
      for (ImageReference r : refs) {
        String name = byDigest ? r.repositoryName() : tagged(r);
        if (!reported.contains(name)) {
          reported.add(name);
        }
      }
      if (nameCanonical || byDigest) {
        String canonical = repo.pinned(set.root().digestValue()).toString();
        if (nameCanonical && !reported.contains(canonical)) {
          reported.add(canonical);
        }
      }
    }
    return ExportResult.image(set, reported);
  }

  ImageFormat format() {
    return format;
  }

  List<ImageReference> names() {
    return names;
  }

  private String tagged(ImageReference r) {
    return r.tag().isPresent() ? r.toString() : r.withTag(ImageReference.DEFAULT_TAG).toString();
  }

  private void pushBlobs(ImageSet set, ImageReference repo, Optional<ImageReference> pushedBefore, Progress.Step step)
      throws Exception {
    Map<Digest, Optional<ImageReference>> blobs = new LinkedHashMap<>();
    for (ImageSet.PlatformImage img : set.images()) {
      Optional<ImageReference> base = img.result().baseRepository().map(ImageReference::parse)
          .filter(b -> b.registry().equals(repo.registry()) && !b.repository().equals(repo.repository()));
      for (Descriptor l : img.layers()) {
        // A repository filled just before has every blob. Otherwise try the base image's: which
        // layers came from it is unknown here, but a refused mount costs nothing, as the registry
        // answers it by opening the upload session the blob needs anyway.
        blobs.putIfAbsent(l.digestValue(), pushedBefore.or(() -> base));
      }
      blobs.putIfAbsent(img.config().digestValue(), pushedBefore);
    }
    for (AttestationManifests.Entry a : set.attestations()) {
      blobs.putIfAbsent(a.config().digestValue(), pushedBefore);
      a.layers().forEach(l -> blobs.putIfAbsent(l.digestValue(), pushedBefore));
    }
    long bytes = 0;
    for (Digest d : blobs.keySet()) {
      bytes += set.content().size(d);
    }
    step.status("pushing " + blobs.size() + " blobs (" + Exporters.humanSize(bytes) + ")");
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_UPLOADS, Math.max(1, blobs.size())));
    try {
      List<CompletableFuture<Void>> uploads = new ArrayList<>();
      for (Map.Entry<Digest, Optional<ImageReference>> b : blobs.entrySet()) {
        uploads.add(CompletableFuture.runAsync(() -> {
          try {
            Digest d = b.getKey();
            // Read unverified: the registry hashes what it receives and refuses a blob whose bytes do
            // not match the digest, so hashing here too would only halve the CPU left for sending.
            client.pushBlob(repo, d, set.content().size(d),
                () -> java.nio.file.Files.newInputStream(set.content().path(d)), b.getValue());
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        }, pool));
      }
      try {
        CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof Exception ex ? ex : e;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void pushManifest(ImageSet set, ImageReference repo, String reference, Descriptor d) throws Exception {
    byte[] bytes = set.content().readAll(d.digestValue());
    client.pushManifest(repo, reference, bytes, d.mediaType());
  }
}
