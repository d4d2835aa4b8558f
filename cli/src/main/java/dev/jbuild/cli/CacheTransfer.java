package dev.jbuild.cli;

import dev.jbuild.cache.BuildRecords;
import dev.jbuild.cache.CacheExchange;
import dev.jbuild.cache.CacheKey;
import dev.jbuild.cache.CacheRecord;
import dev.jbuild.cache.CacheRecords;
import dev.jbuild.cache.CacheTarget;
import dev.jbuild.cache.ContentStore;
import dev.jbuild.cache.InlineCache;
import dev.jbuild.cache.LocalCacheDir;
import dev.jbuild.exporters.CacheLayers;
import dev.jbuild.exporters.Compression;
import dev.jbuild.oci.ImageResult;
import dev.jbuild.oci.Layer;
import dev.jbuild.progress.Progress;
import dev.jbuild.registry.FetchedManifest;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code --cache-from} before a build (imports whose records the solver may use) and
 * {@code --cache-to} after it. A cache that cannot be imported is a warning, as in BuildKit: the
 * build runs without it. A failed export fails the build unless {@code ignore-error=true}.
 */
record CacheTransfer(List<CacheSpec> from, List<CacheSpec> to) {
  static final CacheTransfer NONE = new CacheTransfer(List.of(), List.of());

  BuildRecords records(Path storeRoot, ContentStore content, RegistryClient registry, Progress progress,
      Consumer<String> warn) throws IOException {
    List<BuildRecords.Import> imports = new ArrayList<>();
    for (CacheSpec s : from) {
      CacheTarget t = target(s, registry, false);
      try {
        CacheExchange.Loaded loaded = progress.step("importing cache manifest from " + t.describe(),
            step -> load(s, t, registry));
        Map<CacheKey, CacheRecord> records = loaded.records();
        CacheMountTransfer.restore(storeRoot, loaded, t, content, warn);
        if (records.isEmpty()) {
          warn.accept("cache from " + t.describe() + ": nothing exported there yet");
        }
        imports.add(new BuildRecords.Import(t, records));
      } catch (Exception e) {
        warn.accept("cache from " + t.describe() + " was not imported: " + e.getMessage());
      }
    }
    return new BuildRecords(new CacheRecords(storeRoot, content), content, imports, warn);
  }

  /** A registry reference may name a cache export or an image pushed with inline cache. */
  private static CacheExchange.Loaded load(CacheSpec s, CacheTarget t, RegistryClient registry) throws IOException {
    if (t instanceof RegistryCacheTarget r) {
      Optional<FetchedManifest> root = r.fetched();
      if (root.isEmpty()) {
        return new CacheExchange.Loaded(Map.of(), Map.of());
      }
      Optional<Map<CacheKey, CacheRecord>> inline = InlineCacheImport.load(registry, r.ref(), root.get());
      if (inline.isPresent()) {
        return new CacheExchange.Loaded(inline.get(), Map.of());
      }
    }
    return CacheExchange.loadAll(t);
  }

  /** With {@code --cache-to type=inline}: the image's config carries the records of its own layer chain. */
  ImageResult inline(BuildRecords records, ImageResult image) {
    if (to.stream().noneMatch(s -> s.type().equals("inline"))) {
      return image;
    }
    String payload = InlineCache.encode(records.used(), image.config().rootfs().diffIds());
    return new ImageResult(image.platform(), image.layers(), image.config().withInlineCache(payload),
        image.baseRepository());
  }

  /** @param mounts the ids of the cache mounts the build used, exported where {@code cache-mounts=true} */
  void export(BuildRecords records, List<ImageResult> images, java.util.Set<String> mounts, Path storeRoot,
      ContentStore content, RegistryClient registry, Progress progress, Consumer<String> warn) throws UserError {
    for (CacheSpec s : to) {
      if (s.type().equals("inline")) {
        continue; // already in the image configs
      }
      CacheTarget t = target(s, registry, true);
      Map<CacheKey, CacheRecord> used = records.used();
      Map<CacheKey, CacheRecord> chosen = s.mode().equals("max") ? used
          : CacheExchange.minimal(used, images.stream().map(i -> i.layers().stream().map(Layer::blob)
              .map(d -> d.digest()).toList()).toList());
      try {
        progress.step("exporting cache to " + t.describe() + " (mode=" + s.mode() + ")", step -> {
          Map<CacheKey, CacheRecord> sent = CacheLayers.compressed(chosen, content, Compression.parse(s.compression()));
          Map<String, CacheRecord.LayerRecord> tars = s.cacheMounts()
              ? CacheMountTransfer.pack(storeRoot, mounts, content) : Map.of();
          CacheExchange.Exported e = CacheExchange.export(t, sent, tars, content);
          step.status(e.records() + " records, " + e.blobs() + " blobs (" + e.blobsUploaded() + " new), manifest "
              + e.manifest());
          return e;
        });
      } catch (Exception e) {
        if (!s.ignoreError()) {
          throw new UserError("exporting the cache to " + t.describe() + ": " + e.getMessage(), e);
        }
        warn.accept("exporting the cache to " + t.describe() + " failed: " + e.getMessage());
      }
    }
  }

  private static CacheTarget target(CacheSpec s, RegistryClient registry, boolean export) {
    if (s.type().equals("local")) {
      String dir = s.attrs().get(export ? "dest" : "src");
      return new LocalCacheDir(Path.of(dir), s.tag(), "type=local," + (export ? "dest=" : "src=") + dir);
    }
    return new RegistryCacheTarget(registry, ImageReference.parse(s.attrs().get("ref")));
  }
}
