package dev.jbuild.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Removes what killed builds left in the store: temp files of processes that no longer exist
 * (a live process's are never touched, so this is safe while other builds run) and download
 * leftovers of older versions ({@code .partial} files beside blobs, which are never trusted).
 */
public final class StoreJanitor {
  private StoreJanitor() {}

  /** @return how many leftovers were removed */
  public static int clean(Path root) throws IOException {
    int removed = 0;
    removed += removeDeadTempFiles(root.resolve("ingest"));
    removed += removeDeadTempFiles(root.resolve("records"));
    removed += removeDeadTempFiles(root.resolve("statcache"));
    removed += removeDeadTempFiles(root.resolve("usage"));
    removed += removeDeadCacheMountStaging(root.resolve("cache-mounts"));
    Path blobs = root.resolve("blobs/sha256");
    if (Files.isDirectory(blobs)) {
      try (Stream<Path> s = StoreDirectories.list(blobs)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          if (p.getFileName().toString().endsWith(".partial") && Files.deleteIfExists(p)) {
            removed++;
          }
        }
      }
    }
    return removed;
  }

  /** Removes {@code *.tmp} files in {@code dir} whose owner (the pid they start with) is gone or unknown. */
  static int removeDeadTempFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> s = StoreDirectories.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        if (!name.endsWith(".tmp")) {
          continue;
        }
        OptionalLong pid = AtomicFiles.ownerPid(name);
        if (pid.isEmpty() || !isAlive(pid.getAsLong())) {
          if (Files.deleteIfExists(p)) {
            removed++;
          }
        }
      }
    }
    return removed;
  }

  /** Removes {@code cache-mounts/<id>/.new-<n>-<pid>-*}: a cache being filled by a build that was killed. */
  static int removeDeadCacheMountStaging(Path cacheMounts) throws IOException {
    if (!Files.isDirectory(cacheMounts)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> caches = StoreDirectories.list(cacheMounts)) {
      for (Path cache : (Iterable<Path>) caches::iterator) {
        if (!Files.isDirectory(cache)) {
          continue;
        }
        try (Stream<Path> s = StoreDirectories.list(cache)) {
          for (Path p : (Iterable<Path>) s::iterator) {
            String[] parts = p.getFileName().toString().split("-");
            if (parts.length >= 4 && parts[0].equals(".new") && parts[2].matches("\\d+")
                && !isAlive(Long.parseLong(parts[2]))) {
              Pruner.deleteTree(p);
              removed++;
            }
          }
        }
      }
    }
    return removed;
  }

  /** Whether a process with this pid runs (in this pid namespace); our own pid is alive. */
  public static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
