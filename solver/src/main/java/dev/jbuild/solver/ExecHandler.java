package dev.jbuild.solver;

import dev.jbuild.nativeexec.ExecResult;
import dev.jbuild.nativeexec.ExecSpec;
import dev.jbuild.nativeexec.Mount;
import dev.jbuild.nativeexec.RunLimits;
import dev.jbuild.nativeexec.Security;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RUN: keyed by the process's definition, its root's key and its mounts as they affect the
 * result; executed in the OCI runtime over a snapshot of its root.
 */
final class ExecHandler implements OpHandler {
  static final String HOSTNAME = "jbuild";

  private final Op.Exec exec;

  ExecHandler(Op.Exec exec) {
    this.exec = exec;
  }

  @Override
  public Map<String, Object> cacheMap(KeyInputs keys)
      throws IOException, InterruptedException, SourceSelection.SourceNotFoundException {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("op", "exec");
    d.put("root", keys.of(exec.root()).toString());
    d.put("args", exec.args());
    d.put("env", exec.env());
    d.put("cwd", exec.cwd());
    d.put("user", exec.user());
    d.put("network", exec.network().name());
    d.put("platform", exec.platform().toString());
    if (!exec.mounts().isEmpty()) { // absent for plain RUNs, whose keys stay as they were
      List<Object> mounts = new ArrayList<>();
      for (RunMount m : exec.mounts()) {
        mounts.add(cacheMap(m, keys));
      }
      d.put("mounts", mounts);
    }
    if (exec.security() != Security.SANDBOX) {
      d.put("security", exec.security().name());
    }
    limits(d, exec.limits());
    return d;
  }

  /**
   * As BuildKit keys them (they are part of its ExecOp): host names but not their addresses, which
   * may differ between machines (host-gateway); the /dev/shm size; the rlimits. Each only when
   * set, so the keys of builds without them stay as they were.
   */
  private static void limits(Map<String, Object> d, RunLimits limits) {
    if (!limits.extraHosts().isEmpty()) {
      d.put("extraHosts", limits.extraHosts().stream().map(RunLimits.HostEntry::name).toList());
    }
    if (limits.shmSizeBytes() > 0) {
      d.put("shmSize", limits.shmSizeBytes());
    }
    if (!limits.rlimits().isEmpty()) {
      d.put("ulimits", limits.rlimits().stream().map(r -> List.of(r.name(), r.soft(), r.hard())).toList());
    }
  }

  /**
   * A RUN mount as it affects the result: a bind's content (the context files it selects, or its
   * stage's key); a cache's identity; for secrets and ssh agents only their ids and placement,
   * never the values the client lends.
   */
  private static Map<String, Object> cacheMap(RunMount m, KeyInputs keys)
      throws IOException, InterruptedException, SourceSelection.SourceNotFoundException {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("target", m.target());
    if (m instanceof RunMount.Bind b) {
      d.put("type", "bind");
      if (b.source() instanceof Op.CopySource.Context ctx) {
        String what = b.sourcePath().isEmpty() ? "." : b.sourcePath();
        d.put("context", keys.localContent(ctx.dir(), List.of(what), ctx.filter()).toString());
      } else if (b.source() instanceof Op.CopySource.State st) {
        d.put("state", keys.of(st.vertex()).toString());
      }
      d.put("source", b.sourcePath());
      d.put("rw", b.readWrite());
    } else if (m instanceof RunMount.Cache c) {
      d.put("type", "cache");
      d.put("id", c.id());
      d.put("sharing", c.sharing().name());
      if (c.from().isPresent()) {
        d.put("from", keys.of(c.from().get().vertex()).toString());
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

  @Override
  public boolean runsProcess() {
    return true;
  }

  /** Runs the process over its root (inputs[0]) with its mounts (the other inputs are their stages). */
  @Override
  public FsState exec(List<FsState> inputs, StepContext step) throws Exception {
    Worker worker = step.worker();
    try (ExecMounts mounts = ExecMounts.prepare(exec, inputs, worker)) {
      List<String> env = new ArrayList<>(exec.env());
      env.addAll(mounts.env()); // secrets as env: for this process only, never in the op or its key
      return worker.snapshots.mutate(inputs.get(0), true, root -> {
        Users.Resolved user = Users.resolve(root, exec.user());
        if (!Files.isDirectory(RootPath.resolve(root, exec.cwd(), true))) {
          RootPath.mkdirs(root, exec.cwd(), 0755, Op.Ownership.ROOT);
        }
        java.util.Set<String> mountPoints = mounts.createTargets(root);
        List<Mount> runMounts = new ArrayList<>(mounts.mounts());
        List<String> runEnv = env;
        if (worker.runOptions.caCertificates().isPresent()) { // lent like a secret: never in the op or its key
          CaCertificates ca = worker.runOptions.caCertificates().get();
          runMounts.addAll(ca.mounts(root));
          runEnv = ca.env(env);
        }
        OutputTail tail = new OutputTail();
        int vertex = step.vertex();
        ExecResult r = worker.executor().run(new ExecSpec(Integer.toString(vertex), root, exec.args(), runEnv,
            exec.cwd(), user.uid(), user.gid(), user.additionalGids(), HOSTNAME, exec.network(), exec.security(),
            exec.platform(), runMounts, tail.stream(vertex, 1, step.listener()),
            tail.stream(vertex, 2, step.listener()), exec.limits()));
        if (r.exitCode() != 0 || r.signal().isPresent()) {
          throw new ExecFailedException(exec.args(), r.exitCode(), r.signal().orElse(null), tail.lastLines());
        }
        java.util.Set<String> leftOut = new java.util.HashSet<>(r.createdPaths());
        leftOut.removeAll(mountPoints); // BuildKit keeps the mount points it created
        return leftOut;
      });
    }
  }
}
