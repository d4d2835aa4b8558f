package dev.jbuild.solver;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code RUN --mount}: something visible at {@link #target()} while the step runs and never
 * part of its layer. Everything here goes into the step's cache key except what the client lends
 * at run time (secret values, agent sockets), which is looked up by id.
 */
public sealed interface RunMount {
  /** Absolute path in the container ("" for a secret given only as an environment variable). */
  String target();

  /**
   * Files of the context, a stage or an image ({@code type=bind}).
   *
   * @param sourcePath path inside the source, relative ("" or "." for all of it)
   * @param readWrite writable, but what the step writes there is discarded afterwards
   */
  record Bind(String target, Op.CopySource source, String sourcePath, boolean readWrite) implements RunMount {
    public Bind {
      target = absolute(target);
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(sourcePath, "sourcePath");
    }
  }

  /**
   * A directory kept across steps and builds under the store ({@code type=cache}).
   *
   * @param id names the cache (default: the target); builds share it by id
   * @param from initial content for a new cache, from a stage or image ({@code from=}, with {@code sourcePath})
   * @param mode the cache directory's permissions when it is created (with owner {@code uid:gid})
   */
  record Cache(String target, String id, Sharing sharing, Optional<Op.CopySource.State> from, String sourcePath,
      int mode, int uid, int gid, boolean readOnly) implements RunMount {
    public Cache {
      target = absolute(target);
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(sharing, "sharing");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(sourcePath, "sourcePath");
    }
  }

  /** How concurrent steps use one cache: together, each its own copy when busy, or one at a time. */
  enum Sharing {
    SHARED, PRIVATE, LOCKED
  }

  /** A fresh tmpfs ({@code type=tmpfs}); sizeBytes 0 for the kernel's default. */
  record Tmpfs(String target, long sizeBytes) implements RunMount {
    public Tmpfs {
      target = absolute(target);
    }
  }

  /**
   * A {@code --secret} ({@code type=secret}) as a read-only file at {@code target} and/or in the
   * environment variable {@code env}.
   *
   * @param fileTarget the file's path; empty for a secret given only as an environment variable
   * @param env the environment variable that receives the value, if any
   */
  record Secret(String id, Optional<String> fileTarget, Optional<String> env, boolean required, int mode, int uid,
      int gid) implements RunMount {
    public Secret {
      Objects.requireNonNull(id, "id");
      fileTarget = fileTarget.map(RunMount::absolute);
      Objects.requireNonNull(env, "env");
    }

    @Override
    public String target() {
      return fileTarget.orElse("");
    }
  }

  /** An {@code --ssh} agent socket at {@code target} ({@code type=ssh}). */
  record Ssh(String id, String target, boolean required, int mode, int uid, int gid) implements RunMount {
    public Ssh {
      Objects.requireNonNull(id, "id");
      target = absolute(target);
    }
  }

  /** A read-only file with the given text (a RUN here-document script, as BuildKit mounts it). */
  record Script(String target, String content, int mode) implements RunMount {
    public Script {
      target = absolute(target);
      Objects.requireNonNull(content, "content");
    }
  }

  private static String absolute(String target) {
    Objects.requireNonNull(target, "target");
    if (!target.startsWith("/")) {
      throw new IllegalArgumentException("mount target must be absolute: " + target);
    }
    return target;
  }
}
