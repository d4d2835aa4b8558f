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
  private final Map<Vertex, MissLog.Inputs> described = new ConcurrentHashMap<>();
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
      Map<String, String> files = new java.util.TreeMap<>();
      d.putAll(OpHandler.of(v.op()).cacheMap(recordingFiles(files)));
      k = CacheKey.of(d);
      Map<String, String> inputs = new LinkedHashMap<>();
      for (Vertex in : v.op().inputs()) {
        inputs.put(of(in).toString(), MissLog.stepId(in.name()));
      }
      described.put(v, new MissLog.Inputs(d, files, inputs));
      memo.put(v, k);
    }
    return k;
  }

  /** What {@code v}'s key was computed from (after {@link #of}), for explaining misses. */
  MissLog.Inputs described(Vertex v) {
    return described.get(v);
  }

  /** These key inputs, also collecting the context files a description hashes (capped: they are kept per build). */
  private KeyInputs recordingFiles(Map<String, String> files) {
    return new KeyInputs() {
      @Override
      public CacheKey of(Vertex input) throws IOException, InterruptedException, SourceSelection.SourceNotFoundException {
        return CacheKeys.this.of(input);
      }

      @Override
      public Digest localContent(Path dir, List<String> sources, PathFilter filter)
          throws IOException, SourceSelection.SourceNotFoundException {
        Map<String, String> these = new java.util.TreeMap<>();
        Digest d = hasher.hash(dir, sources, filter, these);
        if (files.size() + these.size() <= MissLog.MAX_FILES) {
          files.putAll(these);
        }
        return d;
      }

      @Override
      public Digest remoteContent(Op.Http op) throws IOException, InterruptedException {
        return CacheKeys.this.remoteContent(op);
      }

      @Override
      public GitFetcher.Resolved gitRef(Op.Git op) throws IOException, InterruptedException {
        return CacheKeys.this.gitRef(op);
      }
    };
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
