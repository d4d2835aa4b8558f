package dev.jbuild.solver;

import dev.jbuild.cache.CacheKey;
import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cache keys of vertices: each op is described by its own fields (no timestamps, no host paths)
 * plus its inputs' keys, then hashed canonically. A COPY from the context is keyed by the content
 * of exactly the files it selects.
 */
final class CacheKeys {
  /** Bump when the meaning of a result changes, so old records are not reused. */
  private static final int VERSION = 1;

  private final Map<Vertex, CacheKey> memo = new ConcurrentHashMap<>();
  private final ContentHasher hasher = new ContentHasher();
  private final HttpFetcher http;

  CacheKeys(HttpFetcher http) {
    this.http = http;
  }

  CacheKey of(Vertex v) throws IOException, InterruptedException, SourceSelection.SourceNotFoundException {
    CacheKey k = memo.get(v);
    if (k == null) {
      k = CacheKey.of(describe(v.op()));
      memo.put(v, k);
    }
    return k;
  }

  private Map<String, Object> describe(Op op)
      throws IOException, InterruptedException, SourceSelection.SourceNotFoundException {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("v", VERSION);
    if (op instanceof Op.Scratch) {
      d.put("op", "scratch");
    } else if (op instanceof Op.Image i) {
      d.put("op", "image");
      d.put("ref", i.pinnedRef());
      d.put("platform", i.platform().toString());
    } else if (op instanceof Op.Exec e) {
      d.put("op", "exec");
      d.put("root", of(e.root()).toString());
      d.put("args", e.args());
      d.put("env", e.env());
      d.put("cwd", e.cwd());
      d.put("user", e.user());
      d.put("network", e.network().name());
      d.put("platform", e.platform().toString());
    } else if (op instanceof Op.Copy c) {
      d.put("op", "copy");
      d.put("dest", of(c.dest()).toString());
      if (c.source() instanceof Op.CopySource.Context ctx) {
        Digest content = hasher.hash(ctx.dir(), c.sources(), ctx.filter());
        d.put("source", Map.of("context", content.toString()));
      } else if (c.source() instanceof Op.CopySource.State st) {
        d.put("source", Map.of("state", of(st.vertex()).toString()));
      }
      d.put("sources", c.sources());
      d.put("destination", c.destination());
      c.chown().ifPresent(o -> d.put("chown", List.of(o.uid(), o.gid())));
      c.chmod().ifPresent(m -> d.put("chmod", m));
      d.put("unpack", c.unpackArchives());
    } else if (op instanceof Op.Inline in) {
      d.put("op", "inline");
      d.put("files", in.files().stream().map(f -> List.of(f.name(), f.content())).toList());
    } else if (op instanceof Op.Http h) {
      d.put("op", "http");
      // keyed by what was downloaded, not where from: a checksum pins it without a download
      d.put("content", (h.checksum().isPresent() ? h.checksum().get() : http.fetch(h).digest()).toString());
      d.put("fileName", h.fileName());
    } else if (op instanceof Op.Mkdir m) {
      d.put("op", "mkdir");
      d.put("root", of(m.root()).toString());
      d.put("path", m.path());
      d.put("mode", m.mode());
      d.put("owner", List.of(m.owner().uid(), m.owner().gid()));
    } else {
      throw new IllegalStateException("no cache key for " + op.getClass().getSimpleName());
    }
    return d;
  }
}
