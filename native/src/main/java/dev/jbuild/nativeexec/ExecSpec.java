package dev.jbuild.nativeexec;

import dev.jbuild.platform.Platform;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to run and where.
 *
 * @param id names the run in container ids and errors (any text; it is sanitised)
 * @param rootfs the container's root, e.g. {@link MountedRoot#path()}; mount points are created in it
 * @param args argv; args[0] is looked up on the PATH from {@code env} (a default PATH is added when absent)
 * @param env {@code NAME=value} strings
 * @param cwd absolute working directory; created (owned by root) when missing
 * @param platform the platform of the root filesystem's programs: a 32-bit one that runs natively
 *     (linux/386 on amd64, linux/arm on arm64) gets the 32-bit personality, so {@code uname -m}
 *     says i686 or armv7l as it would on such a machine
 * @param stdout receives the process's standard output as it is written
 * @param stderr receives its standard error (and the runtime's own error messages); may be the
 *     same stream as stdout (writes are synchronized on the stream)
 * @param limits extra /etc/hosts entries, the /dev/shm size and rlimits the build gives every step
 */
public record ExecSpec(String id, Path rootfs, List<String> args, List<String> env, String cwd,
    int uid, int gid, List<Integer> additionalGids, String hostname, NetworkMode network, Security security,
    Platform platform, List<Mount> mounts, OutputStream stdout, OutputStream stderr, RunLimits limits) {

  /** A run with none of the build's {@link RunLimits}. */
  public ExecSpec(String id, Path rootfs, List<String> args, List<String> env, String cwd, int uid, int gid,
      List<Integer> additionalGids, String hostname, NetworkMode network, Security security, Platform platform,
      List<Mount> mounts, OutputStream stdout, OutputStream stderr) {
    this(id, rootfs, args, env, cwd, uid, gid, additionalGids, hostname, network, security, platform, mounts, stdout,
        stderr, RunLimits.NONE);
  }

  public ExecSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rootfs, "rootfs");
    args = List.copyOf(args);
    env = List.copyOf(env);
    additionalGids = List.copyOf(additionalGids);
    mounts = List.copyOf(mounts);
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
    Objects.requireNonNull(limits, "limits");
    if (args.isEmpty()) {
      throw new IllegalArgumentException("nothing to run: args is empty");
    }
    cwd = cwd == null || cwd.isEmpty() ? "/" : cwd;
    if (!cwd.startsWith("/")) {
      throw new IllegalArgumentException("working directory must be absolute: " + cwd);
    }
    hostname = hostname == null || hostname.isEmpty() ? "jbuild" : hostname;
  }

  /** Never the environment: it may hold secrets (RUN --mount=type=secret,env=…). */
  @Override
  public String toString() {
    return "ExecSpec[id=" + id + ", args=" + args + ", cwd=" + cwd + ", uid=" + uid + ", gid=" + gid
        + ", network=" + network + ", security=" + security + ", platform=" + platform + ", mounts=" + mounts + ", limits=" + limits + "]";
  }
}
