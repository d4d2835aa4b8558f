package dev.jbuild.cli;

import dev.jbuild.cache.CacheExchange;
import dev.jbuild.cache.CacheRecord;
import dev.jbuild.cache.CacheTarget;
import dev.jbuild.cache.ContentStore;
import dev.jbuild.nativeexec.LayerReader;
import dev.jbuild.nativeexec.LayerWriter;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.solver.CacheMounts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code --cache-to …,cache-mounts=true}: the {@code RUN --mount=type=cache} directories a build
 * used travel as uncompressed tars by cache id, and an import restores each one the store does
 * not have yet (never over an existing cache, which may be in use).
 */
final class CacheMountTransfer {
  private CacheMountTransfer() {}

  /** Tars the shared instance of each cache in {@code ids} into the content store. */
  static Map<String, CacheRecord.LayerRecord> pack(Path storeRoot, Set<String> ids, ContentStore content)
      throws IOException {
    Map<String, CacheRecord.LayerRecord> out = new TreeMap<>();
    for (String id : ids) {
      Path dir = CacheMounts.sharedInstance(storeRoot, id);
      if (!Files.isDirectory(dir)) {
        continue; // only private instances were used; they are not shared, so not exported
      }
      try (ContentStore.Writer w = content.writer()) {
        new LayerWriter(Optional.empty()).write(dir, Set.of(), w.staysOpen());
        Digest d = w.commit(Optional.empty());
        out.put(id, new CacheRecord.LayerRecord(MediaTypes.OCI_LAYER_TAR, d.toString(), w.size(), d.toString()));
      }
    }
    return out;
  }

  /** Restores the caches of {@code loaded} that this store has none of; a blob that does not verify is a warning. */
  static void restore(Path storeRoot, CacheExchange.Loaded loaded, CacheTarget source, ContentStore content,
      Consumer<String> warn) {
    for (Map.Entry<String, CacheRecord.LayerRecord> e : loaded.mounts().entrySet()) {
      String id = e.getKey();
      CacheRecord.LayerRecord l = e.getValue();
      if (!Digest.isSha256Hex(id) || !l.digest().equals(l.diffId())) {
        warn.accept("cache from " + source.describe() + ": cache mount entry " + id + " is not valid; not restoring it");
        continue;
      }
      Path dir = CacheMounts.sharedInstance(storeRoot, id);
      if (Files.exists(dir)) {
        continue;
      }
      Path staging = null;
      try {
        Digest d = Digest.parse(l.digest());
        if (!content.has(d)) {
          try (InputStream in = source.openBlob(d)) {
            content.put(in, d); // checked against its digest; a mismatch stores nothing
          }
        }
        Files.createDirectories(dir.getParent());
        staging = CacheMounts.staging(dir);
        try (InputStream tar = content.open(d)) {
          new LayerReader().unpack(tar, staging);
        }
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (Exception ex) {
        if (!Files.isDirectory(dir)) { // else another build restored or made it first
          warn.accept("cache from " + source.describe() + ": cache mount " + id.substring(0, 12) + " not restored: "
              + ex.getMessage());
        }
      } finally {
        deleteTree(staging);
      }
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover staging dir is removed by the next build's janitor
    }
  }
}
