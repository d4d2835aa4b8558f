package dev.jbuild.cli;

import dev.jbuild.cache.BuildRecords;
import dev.jbuild.cache.CacheExchange;
import dev.jbuild.cache.CacheKey;
import dev.jbuild.cache.CacheRecord;
import dev.jbuild.cache.CacheRecords;
import dev.jbuild.cache.CacheTarget;
import dev.jbuild.cache.ContentStore;
import dev.jbuild.cache.LocalCacheDir;
import dev.jbuild.exporters.CacheLayers;
import dev.jbuild.exporters.Compression;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.solver.ImageResult;
import dev.jbuild.solver.Layer;
import dev.jbuild.solver.progress.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        Map<CacheKey, CacheRecord> records = progress.step("importing cache manifest from " + t.describe(),
            step -> CacheExchange.load(t));
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

  void export(BuildRecords records, List<ImageResult> images, ContentStore content, RegistryClient registry,
      Progress progress, Consumer<String> warn) throws UserError {
    for (CacheSpec s : to) {
      CacheTarget t = target(s, registry, true);
      Map<CacheKey, CacheRecord> used = records.used();
      Map<CacheKey, CacheRecord> chosen = s.mode().equals("max") ? used
          : CacheExchange.minimal(used, images.stream().map(i -> i.layers().stream().map(Layer::blob)
              .map(d -> d.digest()).toList()).toList());
      try {
        progress.step("exporting cache to " + t.describe() + " (mode=" + s.mode() + ")", step -> {
          Map<CacheKey, CacheRecord> sent = CacheLayers.compressed(chosen, content, Compression.parse(s.compression()));
          CacheExchange.Exported e = CacheExchange.export(t, sent, content);
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
