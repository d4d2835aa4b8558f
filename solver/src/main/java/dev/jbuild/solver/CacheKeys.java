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
  // 2: COPY/ADD --chown owns created directories, keeps hardlinks, writes through symlinks; RUN leaves
  // mount points in the layer (BuildKit semantics)
  private static final int VERSION = 2;

  private final Map<Vertex, CacheKey> memo = new ConcurrentHashMap<>();
  private final ContentHasher hasher;
  private final HttpFetcher http;

  private GitFetcher git = new GitFetcher();

  /** Shares the runner's git resolutions, so a ref is resolved once per build. */
  CacheKeys withGit(GitFetcher g) {
    this.git = g;
    return this;
  }

  CacheKeys(HttpFetcher http, StatCache stats) {
    this.http = http;
    this.hasher = new ContentHasher(stats);
  }

  CacheKey of(Vertex v) throws IOException, InterruptedException, SourceSelection.SourceNotFoundException {
    CacheKey k = memo.get(v);
    if (k == null) {
      k = CacheKey.of(describe(v.op()));
      memo.put(v, k);
    }
    return k;
  }

  /**
   * A RUN mount as it affects the result: a bind's content (the context files it selects, or its
   * stage's key); a cache's identity; for secrets and ssh agents only their ids and placement,
   * never the values the client lends.
   */
  private Map<String, Object> describe(RunMount m)
      throws IOException, InterruptedException, SourceSelection.SourceNotFoundException {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("target", m.target());
    if (m instanceof RunMount.Bind b) {
      d.put("type", "bind");
      if (b.source() instanceof Op.CopySource.Context ctx) {
        String what = b.sourcePath().isEmpty() ? "." : b.sourcePath();
        d.put("context", hasher.hash(ctx.dir(), List.of(what), ctx.filter()).toString());
      } else if (b.source() instanceof Op.CopySource.State st) {
        d.put("state", of(st.vertex()).toString());
      }
      d.put("source", b.sourcePath());
      d.put("rw", b.readWrite());
    } else if (m instanceof RunMount.Cache c) {
      d.put("type", "cache");
      d.put("id", c.id());
      d.put("sharing", c.sharing().name());
      if (c.from().isPresent()) {
        d.put("from", of(c.from().get().vertex()).toString());
      }
      d.put("source", c.sourcePath());
      d.put("owner", List.of(c.mode(), c.uid(), c.gid()));
      d.put("ro", c.readOnly());
    } else if (m instanceof RunMount.Tmpfs t) {
      d.put("type", "tmpfs");
      d.put("size", t.sizeBytes());
    } else if (m instanceof RunMount.Secret s) {
      d.put("type", "secret");
      d.put("id", s.id());
      d.put("env", s.env().orElse(""));
      d.put("required", s.required());
      d.put("owner", List.of(s.mode(), s.uid(), s.gid()));
    } else if (m instanceof RunMount.Ssh s) {
      d.put("type", "ssh");
      d.put("id", s.id());
      d.put("required", s.required());
      d.put("owner", List.of(s.mode(), s.uid(), s.gid()));
    } else if (m instanceof RunMount.Script s) {
      d.put("type", "script");
      d.put("content", s.content());
      d.put("mode", s.mode());
    }
    return d;
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
      if (!e.mounts().isEmpty()) { // absent for plain RUNs, whose keys stay as they were
        List<Object> mounts = new java.util.ArrayList<>();
        for (RunMount m : e.mounts()) {
          mounts.add(describe(m));
        }
        d.put("mounts", mounts);
      }
      if (e.security() != dev.jbuild.nativeexec.Security.SANDBOX) {
        d.put("security", e.security().name());
      }
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
      c.chown().ifPresent(o -> d.put("chown", o));
      c.chmod().ifPresent(m -> d.put("chmod", m));
      d.put("unpack", c.unpackArchives());
      if (!c.exclude().patterns().isEmpty()) { // absent otherwise, so existing keys stay as they were
        d.put("exclude", c.exclude().patterns());
      }
      if (c.keepParents()) {
        d.put("parents", true);
      }
    } else if (op instanceof Op.Inline in) {
      d.put("op", "inline");
      d.put("files", in.files().stream().map(f -> List.of(f.name(), f.content())).toList());
    } else if (op instanceof Op.Http h) {
      d.put("op", "http");
      // keyed by what was downloaded, not where from: a checksum pins it without a download
      d.put("content", (h.checksum().isPresent() ? h.checksum().get() : http.fetch(h).digest()).toString());
      d.put("fileName", h.fileName());
    } else if (op instanceof Op.Git g) {
      d.put("op", "git");
      // keyed by the commit the ref resolves to, as BuildKit does, not by the ref's name
      d.put("commit", git.resolve(g).commit());
      d.put("subdir", g.subdir());
      d.put("keepGitDir", g.keepGitDir());
    } else if (op instanceof Op.Mkdir m) {
      d.put("op", "mkdir");
      d.put("root", of(m.root()).toString());
      d.put("path", m.path());
      d.put("mode", m.mode());
      d.put("user", m.user());
    } else {
      throw new IllegalStateException("no cache key for " + op.getClass().getSimpleName());
    }
    return d;
  }
}
