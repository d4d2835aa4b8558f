package dev.jbuild.cache;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Removes stored items under the store's exclusive lock (the caller holds it): records in
 * least-recently-used order, each taking with it the blobs and snapshots no remaining record
 * names; dangling blobs and snapshots count as items of their own.
 */
public final class Pruner {
  /** What was removed, by kind, and how many bytes that freed. */
  public record Result(Map<StoreUsage.Kind, Integer> removed, long reclaimed, Verified verified, long totalAfter) {}

  /** What {@code --verify} found and removed. */
  public record Verified(int corruptBlobs, int brokenRecords) {
    static final Verified NOTHING = new Verified(0, 0);
  }

  private final Path root;
  private final ContentStore content;

  public Pruner(Path root) throws IOException {
    this.root = root;
    this.content = new ContentStore(root);
  }

  public Result prune(PruneOptions options, Instant now) throws IOException {
    Map<StoreUsage.Kind, Integer> removed = new EnumMap<>(StoreUsage.Kind.class);
    Verified verified = options.verify() ? verify(removed) : Verified.NOTHING;
    StoreUsage usage = StoreUsage.scan(root);
    Map<String, Integer> refCounts = new HashMap<>();
    for (StoreUsage.Item i : usage.items()) {
      for (String r : i.refs()) {
        refCounts.merge(r, 1, Integer::sum);
      }
    }
    Map<String, List<StoreUsage.Item>> byId = new HashMap<>();
    List<StoreUsage.Item> candidates = new ArrayList<>();
    for (StoreUsage.Item i : usage.items()) {
      if (i.kind() == StoreUsage.Kind.LAYER || i.kind() == StoreUsage.Kind.SNAPSHOT) {
        byId.computeIfAbsent(i.id(), k -> new ArrayList<>()).add(i);
        if (refCounts.containsKey(i.id())) {
          continue; // goes with the last record that names it
        }
      }
      if (options.selects(i.kind())
          && options.until().map(u -> i.lastUsed().isBefore(now.minus(u))).orElse(true)) {
        candidates.add(i);
      }
    }
    candidates.sort(Comparator.comparing(StoreUsage.Item::lastUsed).thenComparing(StoreUsage.Item::id));
    long total = usage.total();
    long reclaimed = 0;
    for (StoreUsage.Item i : candidates) {
      if (options.keepStorage().isPresent() && total <= options.keepStorage().get()) {
        break;
      }
      long freed = delete(i, removed);
      for (String r : i.refs()) {
        if (refCounts.merge(r, -1, Integer::sum) == 0) {
          for (StoreUsage.Item dependent : byId.getOrDefault(r, List.of())) {
            freed += delete(dependent, removed);
          }
        }
      }
      total -= freed;
      reclaimed += freed;
    }
    return new Result(removed, reclaimed, verified, total);
  }

  /** {@code prune --verify} alone: checks without pruning anything else. */
  public Result verifyOnly() throws IOException {
    Map<StoreUsage.Kind, Integer> removed = new EnumMap<>(StoreUsage.Kind.class);
    Verified verified = verify(removed);
    return new Result(removed, 0, verified, StoreUsage.scan(root).total());
  }

  /** Re-hashes every blob (removing those that do not match) and removes records that are unreadable or name a missing blob. */
  private Verified verify(Map<StoreUsage.Kind, Integer> removed) throws IOException {
    int corrupt = 0;
    int broken = 0;
    for (Digest d : content.list()) {
      if (!content.verify(d)) { // verify removed it
        corrupt++;
        removed.merge(StoreUsage.Kind.LAYER, 1, Integer::sum);
      }
    }
    CacheRecords records = new CacheRecords(root, content);
    for (CacheRecords.Stored s : records.list()) {
      boolean bad = s.record() == null;
      if (!bad) {
        for (CacheRecord.LayerRecord l : s.record().layers()) {
          try {
            Digest.parse(l.diffId());
            bad |= !content.has(Digest.parse(l.digest()));
          } catch (IllegalArgumentException e) {
            bad = true;
          }
        }
      }
      if (bad) {
        records.delete(s.key());
        removed.merge(StoreUsage.Kind.RECORD, 1, Integer::sum);
        broken++;
      }
    }
    return new Verified(corrupt, broken);
  }

  private long delete(StoreUsage.Item i, Map<StoreUsage.Kind, Integer> removed) throws IOException {
    if (!Files.exists(i.path(), LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    if (i.kind() == StoreUsage.Kind.LAYER) {
      content.delete(Digest.parse("sha256:" + i.id()));
    } else {
      deleteTree(i.path());
      if (i.kind() == StoreUsage.Kind.SNAPSHOT) {
        StoreUsage.forgetSnapshot(root, i.id());
      }
    }
    removed.merge(i.kind(), 1, Integer::sum);
    return i.size();
  }

  static void deleteTree(Path p) throws IOException {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> walk = Files.walk(p)) {
        for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(q);
        }
      }
    } else {
      Files.deleteIfExists(p);
    }
  }
}
