package dev.jbuild.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A process's use of the store, marked by a file under {@code sessions/} from before it writes
 * anything until it is done. A marker whose process is gone means that process was killed and may
 * have left temp files behind: only then (or in a store from before markers) does opening a
 * session run the {@link StoreJanitor}'s full listing, so a cached build reads one small directory.
 */
public final class StoreSession implements AutoCloseable {
  static final String DIR = "sessions";
  /** Numbers this process's markers. */
  private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

  private final Path marker;

  private StoreSession(Path marker) {
    this.marker = marker;
  }

  /** Marks this process as using the store, after cleaning up what killed processes left. */
  public static StoreSession open(Path root) throws IOException {
    Path dir = root.resolve(DIR);
    boolean predatesMarkers = !Files.isDirectory(dir);
    Files.createDirectories(dir);
    ProcessHandle self = ProcessHandle.current();
    // unique per session: one process may open several (a build and its export) and close them apart;
    // pid, start time and a counter name it (a random temp name would cost a SecureRandom, ≈ 10 ms)
    Path marker = createMarker(dir, self.pid() + "-" + startMillis(self) + "-");
    List<Path> dead = deadMarkers(dir);
    if (predatesMarkers || !dead.isEmpty()) {
      StoreJanitor.clean(root);
      for (Path d : dead) { // only now: a session killed while cleaning leaves them for the next one
        Files.deleteIfExists(d);
      }
    }
    return new StoreSession(marker);
  }

  private static Path createMarker(Path dir, String prefix) throws IOException {
    while (true) {
      try {
        return Files.createFile(dir.resolve(prefix + SEQUENCE.incrementAndGet() + ".session"));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // left by an earlier process with this pid and start time (a clock set back): the next number
      }
    }
  }

  /** Markers of processes that no longer run (or whose pid now belongs to a process started later). */
  private static List<Path> deadMarkers(Path dir) throws IOException {
    List<Path> dead = new ArrayList<>();
    try (var s = StoreDirectories.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String[] parts = p.getFileName().toString().split("-");
        if (parts.length < 3 || !parts[0].matches("\\d+") || !parts[1].matches("\\d+")) {
          continue; // not a marker
        }
        Optional<ProcessHandle> owner = ProcessHandle.of(Long.parseLong(parts[0])).filter(ProcessHandle::isAlive);
        if (owner.isEmpty() || startMillis(owner.get()) != Long.parseLong(parts[1])) {
          dead.add(p);
        }
      }
    }
    return dead;
  }

  /** When the process started (0 where the system does not say): with the pid it names one process. */
  private static long startMillis(ProcessHandle p) {
    return p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(marker);
  }
}
