package dev.jbuild.cache;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the store holds, item by item, with sizes and last use: the input of {@code du} and
 * {@code prune}. Records are the roots: a layer blob or snapshot lives while a record names it
 * (a snapshot by the chain id of a prefix of the record's layers); one no record names is dangling.
 */
public final class StoreUsage {
  /** Kinds of stored items; {@link #type} is BuildKit's record type name used by {@code --filter type=}. */
  public enum Kind {
    RECORD("regular"), LAYER("regular"), SNAPSHOT("regular"), CACHE_MOUNT("exec.cachemount"), STAT_CACHE("source.local");

    public final String type;

    Kind(String type) {
      this.type = type;
    }

    public String label() {
      return switch (this) {
        case RECORD -> "record";
        case LAYER -> "layer";
        case SNAPSHOT -> "snapshot";
        case CACHE_MOUNT -> "cache-mount";
        case STAT_CACHE -> "stat-cache";
      };
    }
  }

  /**
   * One item.
   *
   * @param refs for a record: the blobs and snapshot ids it keeps alive
   */
  public record Item(Kind kind, String id, long size, Instant lastUsed, Path path, Set<String> refs) {}

  private final List<Item> items;

  private StoreUsage(List<Item> items) {
    this.items = List.copyOf(items);
  }

  public List<Item> items() {
    return items;
  }

  public long total() {
    return items.stream().mapToLong(Item::size).sum();
  }

  public static StoreUsage scan(Path root) throws IOException {
    ContentStore content = new ContentStore(root);
    CacheRecords records = new CacheRecords(root, content);
    List<Item> out = new ArrayList<>();
    Map<String, Instant> lastUseOfRef = new HashMap<>();
    for (CacheRecords.Stored s : records.list()) {
      Set<String> refs = s.record() == null ? Set.of() : refsOf(s.record(), content);
      Path file = root.resolve("records").resolve(s.key().digest().hex() + ".json");
      out.add(new Item(Kind.RECORD, s.key().digest().hex(), sizeOf(file), s.lastUsed(), file, refs));
      for (String r : refs) {
        lastUseOfRef.merge(r, s.lastUsed(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    for (Digest d : content.list()) {
      Path p = content.path(d);
      out.add(new Item(Kind.LAYER, d.hex(), sizeOf(p), lastUse(lastUseOfRef.get(d.hex()), p), p, Set.of()));
    }
    for (Path p : children(root.resolve("snapshots"))) {
      String id = p.getFileName().toString();
      if (Digest.isSha256Hex(id)) {
        out.add(new Item(Kind.SNAPSHOT, id, snapshotSize(root, p), lastUse(lastUseOfRef.get(id), p), p, Set.of()));
      }
    }
    for (Path p : children(root.resolve("cache-mounts"))) {
      out.add(new Item(Kind.CACHE_MOUNT, p.getFileName().toString(), sizeOf(p), newestChange(p), p, Set.of()));
    }
    for (Path p : children(root.resolve("statcache"))) {
      if (!p.getFileName().toString().endsWith(".tmp")) {
        out.add(new Item(Kind.STAT_CACHE, p.getFileName().toString(), sizeOf(p), mtime(p), p, Set.of()));
      }
    }
    return new StoreUsage(out);
  }

  /** The blobs (with those their notes name) and snapshot ids a record keeps alive; both are 64-hex names. */
  static Set<String> refsOf(CacheRecord r, ContentStore content) throws IOException {
    Set<String> refs = new LinkedHashSet<>();
    List<Digest> diffIds = new ArrayList<>();
    for (CacheRecord.LayerRecord l : r.layers()) {
      try {
        Digest blob = Digest.parse(l.digest());
        refs.add(blob.hex());
        for (Digest n : content.notedBlobs(blob)) {
          refs.add(n.hex());
        }
        diffIds.add(Digest.parse(l.diffId()));
      } catch (IllegalArgumentException e) {
        // a malformed record keeps nothing alive; --verify removes it
      }
    }
    for (Digest c : ChainIds.of(diffIds)) {
      refs.add(c.hex());
    }
    return refs;
  }

  private static Instant lastUse(Instant byRecords, Path p) throws IOException {
    return byRecords != null ? byRecords : mtime(p);
  }

  private static List<Path> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = StoreDirectories.list(dir)) {
      return s.sorted().toList();
    }
  }

  private static Instant mtime(Path p) throws IOException {
    return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
  }

  /** A cache mount's last use: the newest change among it (touched on every use) and its instances. */
  private static Instant newestChange(Path dir) throws IOException {
    Instant newest = mtime(dir);
    for (Path c : children(dir)) {
      Instant t = mtime(c);
      if (t.isAfter(newest)) {
        newest = t;
      }
    }
    return newest;
  }

  /** Snapshots never change once in place, so their sizes are measured once and kept under {@code usage/}. */
  private static long snapshotSize(Path root, Path snapshot) throws IOException {
    Path memo = root.resolve("usage").resolve(snapshot.getFileName().toString());
    try {
      return Long.parseLong(Files.readString(memo).strip());
    } catch (java.nio.file.NoSuchFileException | NumberFormatException e) {
      long size = sizeOf(snapshot);
      Files.createDirectories(memo.getParent());
      AtomicFiles.writeUnsynced(memo.getParent(), memo, Long.toString(size).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return size;
    }
  }

  /** Forgets a removed snapshot's measured size. */
  static void forgetSnapshot(Path root, String id) throws IOException {
    Files.deleteIfExists(root.resolve("usage").resolve(id));
  }

  /** Bytes on disk of a file or tree (apparent sizes of regular files; hard links counted once per path). */
  static long sizeOf(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return Files.size(p);
    }
    long[] total = {0};
    StoreDirectories.reading(p);
    Files.walkFileTree(p, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          total[0] += attrs.size();
        }
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
        return java.nio.file.FileVisitResult.CONTINUE;
      }
    });
    return total[0];
  }
}
