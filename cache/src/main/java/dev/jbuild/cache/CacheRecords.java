package dev.jbuild.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Cache records by key under {@code records/<hex>.json}. A record is only trusted while every
 * blob it names is in the content store; otherwise it is treated as a miss.
 */
public final class CacheRecords {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).build();
  private final Path dir;
  private final ContentStore content;

  public CacheRecords(Path root, ContentStore content) throws IOException {
    this.dir = root.resolve("records");
    this.content = content;
    Files.createDirectories(dir);
  }

  public Optional<CacheRecord> get(CacheKey key) {
    Path p = dir.resolve(key.digest().hex() + ".json");
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    try {
      CacheRecord r = MAPPER.readValue(p.toFile(), CacheRecord.class);
      for (CacheRecord.LayerRecord l : r.layers()) {
        if (!content.has(Digest.parse(l.digest()))) {
          return Optional.empty();
        }
      }
      return Optional.of(r);
    } catch (IOException | IllegalArgumentException e) {
      // An unreadable record is a miss; the rebuild overwrites it.
      return Optional.empty();
    }
  }

  public void put(CacheKey key, CacheRecord record) throws IOException {
    Path tmp = Files.createTempFile(dir, ".record", ".tmp");
    try {
      Files.write(tmp, MAPPER.writeValueAsBytes(record));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, dir.resolve(key.digest().hex() + ".json"), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
