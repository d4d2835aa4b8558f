package dev.jbuild.cli;

import dev.jbuild.cache.ByteSize;
import dev.jbuild.cache.StoreLocation;
import dev.jbuild.cache.StoreLock;
import dev.jbuild.cache.StoreSession;
import dev.jbuild.cache.StoreUsage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jbuild du}: what the store holds, by kind, or item by item with {@code --verbose}. */
@Command(name = "du", mixinStandardHelpOptions = true,
    description = "Show disk usage of the build store ($JBUILD_ROOT): records, layers, snapshots, cache mounts, stat caches.")
final class DuCommand implements Callable<Integer> {
  @Option(names = {"-v", "--verbose"}, description = "One line per item: id, kind, type, size, last use.")
  boolean verbose;

  @Override
  public Integer call() {
    Path root = StoreLocation.resolve();
    PrintStream out = System.out;
    try (StoreLock lock = StoreLock.shared(root); StoreSession session = StoreSession.open(root)) { // du writes size memos
      print(StoreUsage.scan(root), verbose, out);
      return 0;
    } catch (IOException e) {
      System.err.println("ERROR: jbuild store " + root + ": " + e.getMessage());
      return 1;
    }
  }

  static void print(StoreUsage usage, boolean verbose, PrintStream out) {
    if (verbose) {
      out.printf("%-14s %-12s %-16s %10s  %s%n", "ID", "KIND", "TYPE", "SIZE", "LAST USED");
      List<StoreUsage.Item> items = usage.items().stream()
          .sorted(Comparator.comparing(StoreUsage.Item::lastUsed).reversed().thenComparing(StoreUsage.Item::id)).toList();
      for (StoreUsage.Item i : items) {
        out.printf("%-14s %-12s %-16s %10s  %s%n", shortId(i.id()), i.kind().label(), i.kind().type,
            ByteSize.format(i.size()), i.lastUsed().truncatedTo(ChronoUnit.SECONDS));
      }
      out.println();
    }
    Map<StoreUsage.Kind, long[]> byKind = new EnumMap<>(StoreUsage.Kind.class);
    for (StoreUsage.Item i : usage.items()) {
      long[] c = byKind.computeIfAbsent(i.kind(), k -> new long[2]);
      c[0]++;
      c[1] += i.size();
    }
    out.printf("%-12s %-16s %6s %10s%n", "KIND", "TYPE", "ITEMS", "SIZE");
    for (StoreUsage.Kind k : StoreUsage.Kind.values()) {
      long[] c = byKind.getOrDefault(k, new long[2]);
      out.printf("%-12s %-16s %6d %10s%n", k.label(), k.type, c[0], ByteSize.format(c[1]));
    }
    out.println("Total: " + ByteSize.format(usage.total()));
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
