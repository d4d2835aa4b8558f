package dev.jbuild.solver;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the solver does with one op kind, both halves side by side (as BuildKit's CacheMap and
 * Exec per op): how the op is described for its cache key, and how it is executed. Adding an op
 * kind means one new handler and one line in {@link #of}, not edits in parallel chains.
 */
interface OpHandler {

  /**
   * The op's own fields and its inputs' keys, hashed canonically (sorted keys) into its cache key;
   * never timestamps, host paths or values the client only lends (secrets).
   */
  Map<String, Object> cacheMap(KeyInputs keys)
      throws IOException, InterruptedException, SourceSelection.SourceNotFoundException;

  /** Produces the op's filesystem from its solved inputs, given in {@link Op#inputs()} order. */
  FsState exec(List<FsState> inputs, StepContext step) throws Exception;

  /** A result that needs no work at all (e.g. an image whose blobs are all local), if there is one. */
  default Optional<FsState> alreadyAvailable(Worker worker) {
    return Optional.empty();
  }

  /** Whether executing runs a process, which waits for one of the build's process slots before it starts. */
  default boolean runsProcess() {
    return false;
  }

  /** Whether results go into the cache records (false where the key already names the result). */
  default boolean recorded() {
    return true;
  }

  /** The handler of {@code op}: the one place that dispatches on the op kind. */
  static OpHandler of(Op op) {
    if (op instanceof Op.Scratch) {
      return new ScratchHandler();
    } else if (op instanceof Op.Image i) {
      return new ImageHandler(i);
    } else if (op instanceof Op.Exec e) {
      return new ExecHandler(e);
    } else if (op instanceof Op.Copy c) {
      return new CopyHandler(c);
    } else if (op instanceof Op.Inline in) {
      return new InlineHandler(in);
    } else if (op instanceof Op.Http h) {
      return new HttpHandler(h);
    } else if (op instanceof Op.Mkdir m) {
      return new MkdirHandler(m);
    } else if (op instanceof Op.Git g) {
      return new GitHandler(g);
    }
    throw new IllegalStateException("no handler for " + op.getClass().getSimpleName());
  }
}
