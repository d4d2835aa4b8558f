package dev.jbuild.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code prune} removes.
 *
 * @param all every kind, cache mounts included (without it they are kept unless {@code types} names them)
 * @param keepStorage stop once the store is at most this many bytes, removing least recently used first
 * @param until only items not used for at least this long
 * @param types BuildKit record types to consider (regular, exec.cachemount, source.local); empty: the default set
 * @param verify re-hash every blob first and drop those that do not match, and records that name them
 */
public record PruneOptions(boolean all, Optional<Long> keepStorage, Optional<Duration> until, Set<String> types,
    boolean verify) {
  public static final Set<String> TYPES = Set.of("regular", "exec.cachemount", "source.local");

  public PruneOptions {
    types = Set.copyOf(types);
    for (String t : types) {
      if (!TYPES.contains(t)) {
        throw new IllegalArgumentException("unknown type " + t + " (expected regular, exec.cachemount or source.local)");
      }
    }
  }

  /** The automatic bound after builds: least recently used regular records and stat caches beyond {@code bytes}. */
  public static PruneOptions bound(long bytes) {
    return new PruneOptions(false, Optional.of(bytes), Optional.empty(), Set.of(), false);
  }

  boolean selects(StoreUsage.Kind kind) {
    if (!types.isEmpty()) {
      return types.contains(kind.type);
    }
    return all || kind != StoreUsage.Kind.CACHE_MOUNT;
  }
}
