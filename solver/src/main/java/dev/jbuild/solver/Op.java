package dev.jbuild.solver;

import dev.jbuild.nativeexec.NetworkMode;
import dev.jbuild.nativeexec.RunLimits;
import dev.jbuild.nativeexec.Security;
import dev.jbuild.oci.Layer;
import dev.jbuild.platform.Platform;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A build-graph operation. The solver knows these, not Dockerfiles: a frontend translates its
 * input language into them. Each op names its input vertices; its cache key is derived from its
 * own fields plus its inputs' keys (see {@link OpHandler}).
 */
public sealed interface Op {

  /** Vertices whose filesystems this op needs, in a fixed order. */
  List<Vertex> inputs();

  /** The empty filesystem ({@code FROM scratch}). */
  record Scratch() implements Op {
    @Override
    public List<Vertex> inputs() {
      return List.of();
    }
  }

  /**
   * A registry image's filesystem for one platform, pinned by manifest digest.
   *
   * @param pinnedRef {@code registry/repo@sha256:…} of the platform's manifest
   * @param repository {@code registry/repo}, where the blobs are fetched from
   */
  record Image(String pinnedRef, String repository, Platform platform, List<Layer> layers) implements Op {
    public Image {
      layers = List.copyOf(layers);
    }

    @Override
    public List<Vertex> inputs() {
      return List.of();
    }
  }

  /**
   * Runs a process in the root filesystem of {@code root} and keeps what it changed.
   *
   * @param user {@code ""} (root), {@code name}, {@code uid}, {@code name:group} or {@code uid:gid},
   *     resolved against the root filesystem's /etc/passwd and /etc/group when run
   * @param mounts {@code RUN --mount}s (and a here-document script), in the order written
   * @param limits the build's extra hosts, /dev/shm size and rlimits for the process
   */
  record Exec(Vertex root, List<String> args, List<String> env, String cwd, String user,
      NetworkMode network, Platform platform, List<RunMount> mounts, Security security, RunLimits limits)
      implements Op {
    public Exec {
      args = List.copyOf(args);
      env = List.copyOf(env);
      mounts = List.copyOf(mounts);
      java.util.Objects.requireNonNull(security, "security");
      java.util.Objects.requireNonNull(limits, "limits");
    }

    /** A RUN without the build's {@link RunLimits}. */
    public Exec(Vertex root, List<String> args, List<String> env, String cwd, String user, NetworkMode network,
        Platform platform, List<RunMount> mounts, Security security) {
      this(root, args, env, cwd, user, network, platform, mounts, security, RunLimits.NONE);
    }

    /** A plain RUN: no mounts, the default sandbox. */
    public Exec(Vertex root, List<String> args, List<String> env, String cwd, String user, NetworkMode network,
        Platform platform) {
      this(root, args, env, cwd, user, network, platform, List.of(), Security.SANDBOX);
    }

    /** The root, then the stage or image of each mount that has one, in mount order. */
    @Override
    public List<Vertex> inputs() {
      List<Vertex> in = new java.util.ArrayList<>(List.of(root));
      for (RunMount m : mounts) {
        mountState(m).ifPresent(in::add);
      }
      return List.copyOf(in);
    }

    /** The vertex a mount takes its files from, if it takes them from one. */
    static Optional<Vertex> mountState(RunMount m) {
      if (m instanceof RunMount.Bind b && b.source() instanceof CopySource.State s) {
        return Optional.of(s.vertex());
      }
      if (m instanceof RunMount.Cache c && c.from().isPresent()) {
        return Optional.of(c.from().get().vertex());
      }
      return Optional.empty();
    }
  }

  /**
   * Copies files into {@code dest}'s filesystem, with the semantics of Dockerfile COPY.
   *
   * @param sources paths (globs allowed) relative to the source root
   * @param destination absolute path in the destination; a trailing {@code /} means a directory
   * @param chown {@code user[:group]} (names or ids) resolved against the destination's
   *     /etc/passwd and /etc/group when the copy runs; root when empty
   * @param unpackArchives ADD's behaviour: a source file that is a tar archive is extracted
   * @param exclude {@code --exclude} patterns (for the cache key) and the filter they make: matched
   *     against each selected source and against paths below a selected directory
   * @param keepParents {@code COPY --parents}: a source keeps its path (after a {@code /./} pivot) under the destination
   */
  record Copy(Vertex dest, CopySource source, List<String> sources, String destination,
      Optional<String> chown, Optional<Integer> chmod, boolean unpackArchives, Exclusions exclude,
      boolean keepParents) implements Op {
    public Copy {
      sources = List.copyOf(sources);
    }

    public Copy(Vertex dest, CopySource source, List<String> sources, String destination,
        Optional<String> chown, Optional<Integer> chmod, boolean unpackArchives) {
      this(dest, source, sources, destination, chown, chmod, unpackArchives, Exclusions.NONE, false);
    }

    @Override
    public List<Vertex> inputs() {
      return source instanceof CopySource.State s ? List.of(dest, s.vertex()) : List.of(dest);
    }
  }

  /**
   * A file downloaded over HTTP(S), as a filesystem holding just {@code /<fileName>} (mode 0600,
   * mtime from Last-Modified, as ADD does).
   *
   * @param checksum the expected digest ({@code ADD --checksum}); the download fails otherwise
   */
  record Http(String url, Optional<dev.jbuild.oci.Digest> checksum, String fileName) implements Op {
    @Override
    public List<Vertex> inputs() {
      return List.of();
    }
  }

  /**
   * A git repository checked out at a ref, as a filesystem holding the checkout (ADD of a git URL).
   *
   * @param ref a branch, tag or commit; {@code ""} for the remote's HEAD
   * @param subdir the directory of the repository to take ({@code ""} for all of it)
   * @param keepGitDir keep the {@code .git} directory ({@code ADD --keep-git-dir})
   */
  record Git(String remote, String ref, String subdir, boolean keepGitDir) implements Op {
    @Override
    public List<Vertex> inputs() {
      return List.of();
    }
  }

  /** Files given inline (COPY/ADD here-documents), as a filesystem holding just them (mode 0644). */
  record Inline(List<InlineFile> files) implements Op {
    public Inline {
      files = List.copyOf(files);
    }

    @Override
    public List<Vertex> inputs() {
      return List.of();
    }
  }

  /** One inline file: a plain name (no '/') and its content. */
  record InlineFile(String name, String content) {}

  /** Creates a directory (with parents) if it does not exist yet, owned by {@code user} (a USER spec). */
  record Mkdir(Vertex root, String path, int mode, String user) implements Op {
    @Override
    public List<Vertex> inputs() {
      return List.of(root);
    }
  }

  /** Where COPY takes its files from. */
  sealed interface CopySource {
    /** A directory of the client (the build context), minus what {@code filter} excludes. */
    record Context(Path dir, PathFilter filter) implements CopySource {}

    /** The filesystem of another vertex (COPY --from). */
    record State(Vertex vertex) implements CopySource {}
  }

  /** {@code COPY --exclude} patterns, as written (they key the cache) and as a filter (they select). */
  record Exclusions(List<String> patterns, PathFilter filter) {
    public static final Exclusions NONE = new Exclusions(List.of(), PathFilter.NONE);

    public Exclusions {
      patterns = List.copyOf(patterns);
    }
  }

  /** Numeric owner of created files. */
  record Ownership(int uid, int gid) {
    public static final Ownership ROOT = new Ownership(0, 0);
  }
}
