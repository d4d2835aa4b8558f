package dev.jbuild.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The cache export/import flags of {@code build} (a picocli mixin). */
final class CacheFlags {
  @Option(names = "--cache-to", paramLabel = "SPEC", description = "Export the build cache: type=local,dest=DIR"
      + " | type=registry,ref=REF; mode=min (default: the final stage's steps) or mode=max (every step); repeatable.")
  List<String> cacheTo = new ArrayList<>();

  @Option(names = "--cache-from", paramLabel = "SPEC", description = "Import a build cache: type=local,src=DIR"
      + " | type=registry,ref=REF | REF; imported records are verified before use; repeatable.")
  List<String> cacheFrom = new ArrayList<>();

  @Option(names = "--explain-misses", description = "With --progress=plain: say why each step that runs missed the cache"
      + " (also JBUILD_EXPLAIN_MISSES=1; rawjson always carries it).")
  boolean explainMisses;

  boolean explainMisses() {
    return explainMisses || "1".equals(System.getenv("JBUILD_EXPLAIN_MISSES"));
  }

  CacheTransfer parse() throws UserError {
    List<CacheSpec> to = new ArrayList<>();
    for (String s : cacheTo) {
      to.add(CacheSpec.parse(s, CacheSpec.Direction.TO));
    }
    List<CacheSpec> from = new ArrayList<>();
    for (String s : cacheFrom) {
      from.add(CacheSpec.parse(s, CacheSpec.Direction.FROM));
    }
    return new CacheTransfer(from, to);
  }
}
