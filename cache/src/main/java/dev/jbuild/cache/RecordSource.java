package dev.jbuild.cache;

import java.io.IOException;
import java.util.Optional;

/**
 * Where the solver looks up and stores results by cache key: the local store, or a chain of it
 * and imported caches ({@link BuildRecords}).
 */
public interface RecordSource {
  /** The record for {@code key} if it can be trusted (every blob it names is present and verified). */
  Optional<CacheRecord> get(CacheKey key);

  void put(CacheKey key, CacheRecord record) throws IOException;
}
