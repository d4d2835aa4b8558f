package dev.jbuild.cli;

import dev.jbuild.cache.ByteSize;
import dev.jbuild.cache.PruneOptions;
import dev.jbuild.cache.Pruner;
import dev.jbuild.cache.StoreLocation;
import dev.jbuild.cache.StoreLock;
import dev.jbuild.cache.StoreUsage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jbuild prune}: removes build cache under the store's exclusive lock, so it waits for
 * running builds and builds that start meanwhile wait for it; nothing a build uses disappears.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = "Remove build cache. Without --all, cache mounts (RUN --mount=type=cache) are kept.")
final class PruneCommand implements Callable<Integer> {
  @Option(names = {"-a", "--all"}, description = "Remove everything, cache mounts included.")
  boolean all;

  @Option(names = "--keep-storage", paramLabel = "SIZE",
      description = "Keep at most this much (e.g. 5GB), removing least recently used cache first.")
  String keepStorage;

  @Option(names = "--filter", paramLabel = "FILTER", description = "until=DURATION (e.g. 24h: only cache unused for"
      + " that long) or type=regular|exec.cachemount|source.local; repeatable.")
  List<String> filters = new ArrayList<>();

  @Option(names = "--verify", description = "Re-hash every blob; remove blobs that do not match and records naming them."
      + " Alone it removes nothing else; with --all, --keep-storage or --filter it then prunes as they say.")
  boolean verify;

  @Option(names = {"-f", "--force"}, description = "Do not prompt (jbuild never prompts; accepted for docker compatibility).")
  boolean force;

  @Override
  public Integer call() {
    Path root = StoreLocation.resolve();
    PruneOptions options;
    try {
      options = options();
    } catch (UserError e) {
      System.err.println("ERROR: " + e.getMessage());
      return 2;
    }
    try (StoreLock lock = StoreLock.exclusive(root)) {
      StoreMaintenance.cleanLeftovers(root);
      boolean verifyOnly = verify && !all && keepStorage == null && filters.isEmpty();
      Pruner.Result r = verifyOnly ? new Pruner(root).verifyOnly() : new Pruner(root).prune(options, Instant.now());
      if (options.verify()) {
        System.out.println("Verified: " + r.verified().corruptBlobs() + " corrupt blobs, " + r.verified().brokenRecords()
            + " broken records removed");
      }
      for (StoreUsage.Kind k : StoreUsage.Kind.values()) {
        int n = r.removed().getOrDefault(k, 0);
        if (n > 0) {
          System.out.println("Deleted: " + n + " " + k.label() + (n == 1 ? "" : "s"));
        }
      }
      System.out.println("Total: " + ByteSize.format(r.reclaimed()) + " reclaimed, " + ByteSize.format(r.totalAfter()) + " kept");
      return 0;
    } catch (IOException e) {
      System.err.println("ERROR: jbuild store " + root + ": " + e.getMessage());
      return 1;
    }
  }

  private PruneOptions options() throws UserError {
    Optional<Long> keep = Optional.empty();
    if (keepStorage != null) {
      try {
        keep = Optional.of(ByteSize.parse(keepStorage));
      } catch (IllegalArgumentException e) {
        throw new UserError("--keep-storage: " + e.getMessage());
      }
    }
    Optional<Duration> until = Optional.empty();
    Set<String> types = new LinkedHashSet<>();
    for (String f : filters) {
      int eq = f.indexOf('=');
      String name = eq < 0 ? f : f.substring(0, eq);
      String value = eq < 0 ? "" : f.substring(eq + 1);
      try {
        switch (name) {
          case "until" -> until = Optional.of(dev.jbuild.parser.GoDuration.parse(value));
          case "type" -> {
            if (!PruneOptions.TYPES.contains(value)) {
              throw new IllegalArgumentException("unknown type \"" + value + "\" (expected regular, exec.cachemount or source.local)");
            }
            types.add(value);
          }
          default -> throw new IllegalArgumentException("unknown filter (expected until=DURATION or type=TYPE)");
        }
      } catch (IllegalArgumentException e) {
        throw new UserError("--filter " + f + ": " + e.getMessage());
      }
    }
    return new PruneOptions(all, keep, until, types, verify);
  }
}
