package dev.jbuild.solver;

import dev.jbuild.nativeexec.Mount;
import dev.jbuild.nativeexec.MountedRoot;
import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;

/**
 * The {@code RUN --mount}s of one step made real on the host: views of stages and images, leased
 * cache dirs, secrets read from their sources, forwarded agents. Closing releases all of it.
 * Secret values only pass through here on their way to the executor; they are kept nowhere.
 */
final class ExecMounts implements AutoCloseable {
  private final List<Mount> mounts = new ArrayList<>();
  private final List<String> env = new ArrayList<>();
  private final Deque<AutoCloseable> held = new ArrayDeque<>();

  private ExecMounts() {}

  /** Mounts to give the executor, parents before what is mounted below them. */
  List<Mount> mounts() {
    List<Mount> sorted = new ArrayList<>(mounts);
    sorted.sort(Comparator.comparingInt(m -> m.target().split("/").length));
    return sorted;
  }

  /**
   * Creates the mount points in the root filesystem before the process runs, as BuildKit does: a
   * directory mount's target, a file mount's parent directories (root-owned, 0755). They stay in
   * the layer as empty directories; what is mounted on them never does. Targets under the
   * runtime's own /dev, /proc and /sys are left to the runtime.
   *
   * @return the root-relative directories it created, which the layer must keep
   */
  Set<String> createTargets(Path root) throws IOException {
    Set<String> created = new HashSet<>();
    for (Mount m : mounts()) {
      String target = m.target();
      if (target.matches("/(dev|proc|sys)(/.*)?")) {
        continue;
      }
      boolean dir = m instanceof Mount.Tmpfs || (m instanceof Mount.Bind b && Files.isDirectory(b.source()));
      String path = dir ? target : RootPath.parentOf(target);
      List<String> missing = new ArrayList<>();
      for (String p = path; !p.equals("/") && !Files.isDirectory(RootPath.resolve(root, p, true)); p = RootPath.parentOf(p)) {
        missing.add(p);
      }
      RootPath.mkdirs(root, path, 0755, Op.Ownership.ROOT);
      for (String p : missing) {
        created.add(root.relativize(RootPath.resolve(root, p, true)).toString());
      }
    }
    return created;
  }

  /** Extra environment ({@code NAME=value} of env secrets). */
  List<String> env() {
    return List.copyOf(env);
  }

  /**
   * @param inputs the step's solved inputs: root first, then one per mount that has a state, in order
   */
  static ExecMounts prepare(Op.Exec exec, List<FsState> inputs, Worker worker) throws Exception {
    ExecMounts m = new ExecMounts();
    try {
      int input = 1;
      for (RunMount rm : exec.mounts()) {
        Optional<FsState> state = Op.Exec.mountState(rm).isPresent() ? Optional.of(inputs.get(input++)) : Optional.empty();
        m.add(rm, state, worker);
      }
      return m;
    } catch (Exception | Error e) {
      m.close();
      throw e;
    }
  }

  private void add(RunMount rm, Optional<FsState> state, Worker worker) throws Exception {
    if (rm instanceof RunMount.Bind b) {
      bind(b, state, worker);
    } else if (rm instanceof RunMount.Cache c) {
      cache(c, state, worker);
    } else if (rm instanceof RunMount.Tmpfs t) {
      mounts.add(new Mount.Tmpfs(t.target(), t.sizeBytes()));
    } else if (rm instanceof RunMount.Secret s) {
      secret(s, worker.runOptions);
    } else if (rm instanceof RunMount.Ssh s) {
      Path agent = worker.runOptions.sshAgents().get(s.id());
      if (agent == null) {
        if (s.required()) {
          throw new MountException("no ssh agent \"" + s.id() + "\" was given: pass --ssh " + s.id()
              + "=SOCKET" + (s.id().equals("default") ? " (or --ssh default with SSH_AUTH_SOCK set)" : ""));
        }
        return;
      }
      mounts.add(new Mount.ForwardedSocket(agent, s.target(), s.uid(), s.gid(), s.mode()));
    } else if (rm instanceof RunMount.Script s) {
      mounts.add(new Mount.File(s.target(), s.content().getBytes(StandardCharsets.UTF_8), 0, 0, s.mode()));
    }
  }

  private void bind(RunMount.Bind b, Optional<FsState> state, Worker worker) throws Exception {
    String what = b.sourcePath().isEmpty() ? "." : b.sourcePath();
    Path source;
    if (b.source() instanceof Op.CopySource.Context ctx) {
      Path dir = ctx.dir().toRealPath();
      Path candidate = dir.resolve(what).normalize();
      if (!candidate.startsWith(dir) || !Files.exists(candidate)) {
        throw new MountException("the bind mount source \"" + b.sourcePath() + "\" is not in the build context");
      }
      if (!candidate.toRealPath().startsWith(dir)) {
        throw new MountException("the bind mount source \"" + b.sourcePath() + "\" leads out of the build context");
      }
      if (ctx.filter() == PathFilter.NONE) {
        source = candidate.toRealPath();
        if (b.readWrite()) {
          source = writableView(source, worker);
        }
      } else { // .dockerignore applies: mount a filtered copy (also what a writable mount may change)
        Path copy = scratch(worker, "bind-context");
        new FileCopier(Optional.empty(), Optional.empty(), false).copy(dir, ctx.filter(), List.of(what), copy, "/");
        source = Files.isDirectory(candidate) ? copy : copy.resolve(candidate.getFileName().toString());
      }
    } else {
      MountedRoot view = worker.snapshots.view(state.orElseThrow());
      held.push(view);
      source = RootPath.resolve(view.path(), "/" + what, true);
      if (!Files.exists(source)) {
        throw new MountException("the bind mount source \"" + b.sourcePath() + "\" does not exist in "
            + ((Op.CopySource.State) b.source()).vertex().name());
      }
    }
    mounts.add(new Mount.Bind(source, b.target(), !b.readWrite()));
  }

  /** An overlay over a context file or directory, so writes never reach the user's files. */
  private Path writableView(Path source, Worker worker) throws IOException {
    boolean dir = Files.isDirectory(source);
    MountedRoot view = worker.snapshots.view(dir ? source : source.getParent());
    held.push(view);
    return dir ? view.path() : view.path().resolve(source.getFileName().toString());
  }

  private Path scratch(Worker worker, String prefix) throws IOException {
    Path dir = worker.snapshots.scratchDir(prefix);
    held.push(() -> SnapshotStore.deleteTree(dir));
    return dir;
  }

  private void cache(RunMount.Cache c, Optional<FsState> from, Worker worker) throws Exception {
    StringBuilder key = new StringBuilder("cache-mount\0").append(c.id());
    if (from.isPresent()) { // as BuildKit: a cache seeded from a stage is another cache than the empty one
      List<Digest> chain = SnapshotStore.chainIds(from.get().layers());
      key.append('\0').append(chain.isEmpty() ? "scratch" : chain.get(chain.size() - 1).toString())
          .append('\0').append(c.sourcePath());
    }
    CacheMounts.Lease lease = worker.cacheMounts.acquire(key.toString(), c.sharing(), dir -> {
      if (from.isPresent()) {
        try (MountedRoot view = worker.snapshots.view(from.get())) {
          String what = c.sourcePath().isEmpty() ? "." : c.sourcePath();
          new FileCopier(Optional.empty(), Optional.empty(), false).copy(view.path(), PathFilter.NONE, List.of(what),
              dir, "/");
        }
      }
      FileModes.set(dir, c.mode(), new Op.Ownership(c.uid(), c.gid()));
    });
    held.push(lease);
    mounts.add(new Mount.Bind(lease.dir(), c.target(), c.readOnly()));
  }

  private void secret(RunMount.Secret s, RunOptions options) throws MountException {
    SecretSource source = options.secrets().get(s.id());
    if (source == null) {
      if (s.required()) {
        throw new MountException("secret \"" + s.id() + "\" was not given: pass it with --secret id=" + s.id()
            + ",src=FILE (or ,env=VARIABLE)");
      }
      return;
    }
    byte[] value;
    try {
      value = source.read();
    } catch (IOException e) {
      throw new MountException("cannot read secret \"" + s.id() + "\": " + describe(e));
    }
    if (s.fileTarget().isPresent()) {
      mounts.add(new Mount.File(s.fileTarget().get(), value, s.uid(), s.gid(), s.mode()));
    }
    if (s.env().isPresent()) {
      env.add(s.env().get() + "=" + new String(value, StandardCharsets.UTF_8));
    }
  }

  private static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException n) {
      return n.getFile() + ": no such file";
    }
    return e.getMessage();
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    while (!held.isEmpty()) {
      try {
        held.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** A mount that cannot be set up; the message is for the user. */
  static final class MountException extends Exception {
    MountException(String message) {
      super(message);
    }
  }
}
