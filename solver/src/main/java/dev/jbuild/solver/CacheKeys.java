package dev.jbuild.solver;

import dev.jbuild.cache.CacheKey;
import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cache keys of vertices: each op's handler describes it by its own fields (no timestamps, no
 * host paths) plus its inputs' keys; the description is hashed canonically. A COPY from the
 * context is keyed by the content of exactly the files it selects.
 */
final class CacheKeys implements KeyInputs {
  /** Bump when the meaning of a result changes, so old records are not reused. */
  // 2: COPY/ADD --chown owns created directories, keeps hardlinks, writes through symlinks; RUN leaves
  // mount points in the layer; every step has a layer (BuildKit semantics)
  private static final int VERSION = 2;

  private final Map<Vertex, CacheKey> memo = new ConcurrentHashMap<>();
  private final ContentHasher hasher;
  private final HttpFetcher http;
  private final GitFetcher git;

  CacheKeys(HttpFetcher http, StatCache stats) {
    this(http, new GitFetcher(), stats);
  }

  CacheKeys(HttpFetcher http, GitFetcher git, StatCache stats) {
    this.http = http;
    this.git = git;
    this.hasher = new ContentHasher(stats);
  }

  @Override
  public CacheKey of(Vertex v) throws IOException, InterruptedException, SourceSelection.SourceNotFoundException {
    CacheKey k = memo.get(v);
    if (k == null) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("v", VERSION);
      d.putAll(OpHandler.of(v.op()).cacheMap(this));
      k = CacheKey.of(d);
      memo.put(v, k);
    }
    return k;
  }

  @Override
  public Digest localContent(Path dir, List<String> sources, PathFilter filter)
      throws IOException, SourceSelection.SourceNotFoundException {
    return hasher.hash(dir, sources, filter);
  }

  @Override
  public Digest remoteContent(Op.Http op) throws IOException, InterruptedException {
    return http.fetch(op).digest();
  }

  @Override
  public GitFetcher.Resolved gitRef(Op.Git op) throws IOException, InterruptedException {
    return git.resolve(op);
  }
}
