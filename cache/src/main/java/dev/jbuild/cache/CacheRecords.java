package dev.jbuild.cache;

import dev.jbuild.oci.Digest;
import dev.jbuild.oci.InvalidDocumentException;
import dev.jbuild.oci.JsonFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Cache records by key under {@code records/<hex>.json}. A record is only trusted while every
 * blob it names is in the content store; otherwise it is treated as a miss. A record file's
 * modification time is its last use (set on every hit), which pruning orders by.
 */
public final class CacheRecords implements RecordSource {
  private final Path dir;
  private final ContentStore content;

  public CacheRecords(Path root, ContentStore content) throws IOException {
    this.dir = root.resolve("records");
    this.content = content;
    Files.createDirectories(dir);
  }

  /** A stored record with its key and last use, for usage listings and pruning. */
  public record Stored(CacheKey key, CacheRecord record, Instant lastUsed) {}

  @Override
  public Optional<CacheRecord> get(CacheKey key) {
    Optional<CacheRecord> r = read(key).filter(this::blobsPresent);
    if (r.isPresent()) {
      try {
        Files.setLastModifiedTime(file(key), FileTime.from(Instant.now()));
      } catch (IOException ignored) {
        // last use is a hint for pruning; a read-only store still builds
      }
    }
    return r;
  }

  /** The record as stored, whether or not its blobs are present. */
  public Optional<CacheRecord> read(CacheKey key) {
    Path p = file(key);
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JsonFields.read(Files.readAllBytes(p), "cache record", CacheRecord::read));
    } catch (IOException | InvalidDocumentException | IllegalArgumentException e) {
      // An unreadable record is a miss; the rebuild overwrites it.
      return Optional.empty();
    }
  }

  private boolean blobsPresent(CacheRecord r) {
    for (CacheRecord.LayerRecord l : r.layers()) {
      try {
        if (!content.has(Digest.parse(l.digest()))) {
          return false;
        }
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void put(CacheKey key, CacheRecord record) throws IOException {
    // unsynced: the snapshots a record names are not synced either, so syncing it would not make
    // it any more trustworthy after a power cut; a lost or damaged record is a miss
    AtomicFiles.writeUnsynced(dir, file(key), JsonFields.write(record, CacheRecord::write));
  }

  /**
   * Every record file; unreadable ones come back with a null record so that pruning can remove them.
   */
  public List<Stored> list() throws IOException {
    List<Stored> out = new ArrayList<>();
    try (Stream<Path> s = StoreDirectories.list(dir)) {
      for (Path p : (Iterable<Path>) s.sorted()::iterator) {
        String name = p.getFileName().toString();
        if (!name.matches("[0-9a-f]{64}\\.json")) {
          continue;
        }
        CacheKey key = new CacheKey(Digest.parse("sha256:" + name.substring(0, 64)));
        Instant used;
        try {
          used = Files.getLastModifiedTime(p).toInstant();
        } catch (java.nio.file.NoSuchFileException e) {
          continue;
        }
        out.add(new Stored(key, read(key).orElse(null), used));
      }
    }
    return out;
  }

  public void delete(CacheKey key) throws IOException {
    Files.deleteIfExists(file(key));
  }

  private Path file(CacheKey key) {
    return dir.resolve(key.digest().hex() + ".json");
  }
}
