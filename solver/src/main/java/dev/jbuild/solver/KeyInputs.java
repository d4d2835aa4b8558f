package dev.jbuild.solver;

import dev.jbuild.cache.CacheKey;
import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** What an op's cache-key description may draw on besides its own fields. */
interface KeyInputs {
  /** The key of an input vertex. */
  CacheKey of(Vertex input) throws IOException, InterruptedException, SourceSelection.SourceNotFoundException;

  /** The content hash of exactly the local files {@code sources} select (never mtimes). */
  Digest localContent(Path dir, List<String> sources, PathFilter filter)
      throws IOException, SourceSelection.SourceNotFoundException;

  /** The digest of a remote file (downloaded once per build). */
  Digest remoteContent(Op.Http op) throws IOException, InterruptedException;

  /** The commit a git source's ref resolves to (resolved once per build). */
  GitFetcher.Resolved gitRef(Op.Git op) throws IOException, InterruptedException;
}
