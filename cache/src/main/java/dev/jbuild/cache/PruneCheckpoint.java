package dev.jbuild.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What the store looked like when it was last brought within a bound: the modification times of
 * the directories whose entries are its items. Writing or removing a record, blob, snapshot, cache
 * mount or stat cache changes one of them (a cache mount grows only in a RUN that ran, which writes
 * its record), so while they are unchanged the last result holds and a full scan is not needed.
 */
public final class PruneCheckpoint {
  private static final List<String> ITEM_DIRS = List.of("records", "blobs/sha256", "snapshots", "cache-mounts", "statcache");
  private static final String FILE = "prune-checkpoint";
  /**
   * A change in the same clock tick as the one recorded would leave a directory's time as it was:
   * times this close to when they were recorded are not trusted (file systems with whole-second
   * times get two seconds).
   */
  private static final long FINE_TICK_NANOS = 50_000_000L;
  private static final long COARSE_TICK_NANOS = 2_000_000_000L;

  private PruneCheckpoint() {}

  /** Whether the store may have changed since it was last pruned to {@code bound} bytes. */
  public static boolean stale(Path root, long bound) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(root.resolve(FILE), StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return true;
    }
    if (lines.size() != 3 || !lines.get(0).equals(Long.toString(bound))) {
      return true;
    }
    List<Long> recorded;
    long recordedAt;
    try {
      recordedAt = Long.parseLong(lines.get(1));
      recorded = java.util.Arrays.stream(lines.get(2).split(" ")).map(Long::parseLong).toList();
    } catch (NumberFormatException e) {
      return true;
    }
    List<Long> now = times(root);
    if (!now.equals(recorded)) {
      return true;
    }
    long tick = tick(now);
    return now.stream().anyMatch(t -> t > recordedAt - tick);
  }

  /**
   * Records the store as it is now as pruned to {@code bound}. The caller holds the exclusive lock,
   * so nothing changes meanwhile. The record is dated no earlier than a tick after the newest
   * change, so that the next build trusts it instead of scanning again; it does not sleep the tick
   * out (that cost every build that added something ≈ 40 ms). The price: a build that changes a
   * directory within that same tick, right after this one lets go of the lock, may leave the
   * directory's time as recorded, and that change then waits for the next one to be pruned. A
   * checkpoint only ever postpones an automatic prune; it never makes a build use or lose data.
   */
  public static void record(Path root, long bound) throws IOException {
    List<Long> current = times(root);
    long newest = current.stream().mapToLong(Long::longValue).max().orElse(-1);
    long at = Math.max(nanos(FileTime.from(java.time.Instant.now())), newest + tick(current));
    StringBuilder times = new StringBuilder();
    for (long t : current) {
      times.append(times.length() == 0 ? "" : " ").append(t);
    }
    Path temps = Files.createDirectories(root.resolve("usage")); // where the janitor looks for dead temp files
    AtomicFiles.writeUnsynced(temps, root.resolve(FILE),
        (bound + "\n" + at + "\n" + times + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** Whole-second times (all of them) mean a file system that keeps no finer ones. */
  private static long tick(List<Long> times) {
    return times.stream().filter(t -> t >= 0).allMatch(t -> t % 1_000_000_000L == 0) ? COARSE_TICK_NANOS : FINE_TICK_NANOS;
  }

  /** The item directories' modification times in nanoseconds (-1: missing). */
  private static List<Long> times(Path root) throws IOException {
    List<Long> out = new ArrayList<>();
    for (String d : ITEM_DIRS) {
      Path p = root.resolve(d);
      out.add(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? nanos(Files.getLastModifiedTime(p)) : -1L);
    }
    return out;
  }

  private static long nanos(FileTime t) {
    return t.to(java.util.concurrent.TimeUnit.NANOSECONDS);
  }
}
