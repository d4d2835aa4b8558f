package dev.jbuild.solver;

import dev.jbuild.nativeexec.ExecResult;
import dev.jbuild.nativeexec.ExecSpec;
import dev.jbuild.nativeexec.Mount;
import dev.jbuild.nativeexec.MountedRoot;
import dev.jbuild.oci.Digest;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.solver.progress.ProgressEvent;
import dev.jbuild.solver.progress.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/** Executes one op on its solved inputs. One method per op kind; the solver does the scheduling. */
final class OpRunner {
  static final String HOSTNAME = "jbuild";

  private final Worker worker;
  private final HttpFetcher http;
  private final ExecutorService pool;
  private final Semaphore processSlots;
  private final ProgressListener listener;

  OpRunner(Worker worker, HttpFetcher http, ExecutorService pool, int maxParallelProcesses, ProgressListener listener) {
    this.worker = worker;
    this.http = http;
    this.pool = pool;
    this.processSlots = new Semaphore(maxParallelProcesses);
    this.listener = listener;
  }

  /** Whether all blobs of an image source are already local (reported as CACHED). */
  boolean isLocal(Op.Image image) {
    return image.layers().stream().allMatch(l -> worker.content.has(l.digest()));
  }

  FsState run(Op op, List<FsState> inputs, int vertex) throws Exception {
    if (op instanceof Op.Scratch) {
      return FsState.EMPTY;
    } else if (op instanceof Op.Image i) {
      return pull(i, vertex);
    } else if (op instanceof Op.Exec e) {
      return exec(e, inputs, vertex);
    } else if (op instanceof Op.Copy c) {
      return copy(c, inputs);
    } else if (op instanceof Op.Inline in) {
      return worker.snapshots.mutate(FsState.EMPTY, false, root -> {
        for (Op.InlineFile f : in.files()) {
          Path file = root.resolve(f.name());
          Files.writeString(file, f.content(), java.nio.charset.StandardCharsets.UTF_8);
          FileModes.set(file, 0644, Op.Ownership.ROOT);
          Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(java.time.Instant.EPOCH));
        }
        return java.util.Set.of();
      });
    } else if (op instanceof Op.Http h) {
      HttpFetcher.Fetched f = http.fetch(h);
      return worker.snapshots.mutate(inputs.isEmpty() ? FsState.EMPTY : inputs.get(0), false, root -> {
        Path file = root.resolve(h.fileName());
        try (java.io.InputStream in = worker.content.open(f.digest())) {
          Files.copy(in, file);
        }
        FileModes.set(file, 0600, Op.Ownership.ROOT);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(f.lastModified().orElse(java.time.Instant.EPOCH)));
        return java.util.Set.of();
      });
    } else if (op instanceof Op.Mkdir m) {
      return worker.snapshots.mutate(inputs.get(0), false, root -> {
        Users.Resolved u = Users.resolve(root, m.user());
        RootPath.mkdirs(root, m.path(), m.mode(), new Op.Ownership(u.uid(), u.gid()));
        return java.util.Set.of();
      });
    }
    throw new IllegalStateException("no runner for " + op.getClass().getSimpleName());
  }

  private FsState pull(Op.Image image, int vertex) throws Exception {
    ImageReference repo = ImageReference.parse(image.repository());
    List<CompletableFuture<Void>> downloads = new ArrayList<>();
    for (Layer l : image.layers()) {
      Digest d = l.digest();
      if (worker.content.has(d)) {
        continue;
      }
      downloads.add(CompletableFuture.runAsync(() -> {
        try {
          listener.onEvent(new ProgressEvent.Status(vertex, "pulling " + d.shortHex()));
          worker.registry.fetchBlob(repo, d, worker.content.path(d));
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      }, pool));
    }
    try {
      CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new)).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
    return new FsState(image.layers(), false, Optional.empty());
  }

  /** Runs the process over its root (inputs[0]) with its mounts (the other inputs are their stages). */
  private FsState exec(Op.Exec e, List<FsState> inputs, int vertex) throws Exception {
    processSlots.acquire();
    try (ExecMounts mounts = ExecMounts.prepare(e, inputs, worker)) {
      List<String> env = new ArrayList<>(e.env());
      env.addAll(mounts.env()); // secrets as env: for this process only, never in the op or its key
      return worker.snapshots.mutate(inputs.get(0), true, root -> {
        Users.Resolved user = Users.resolve(root, e.user());
        if (!Files.isDirectory(RootPath.resolve(root, e.cwd(), true))) {
          RootPath.mkdirs(root, e.cwd(), 0755, Op.Ownership.ROOT);
        }
        List<Mount> runMounts = new ArrayList<>(mounts.mounts());
        List<String> runEnv = env;
        if (worker.runOptions.caCertificates().isPresent()) { // lent like a secret: never in the op or its key
          CaCertificates ca = worker.runOptions.caCertificates().get();
          runMounts.addAll(ca.mounts(root));
          runEnv = ca.env(env);
        }
        OutputTail tail = new OutputTail();
        ExecResult r = worker.executor().run(new ExecSpec(Integer.toString(vertex), root, e.args(), runEnv, e.cwd(),
            user.uid(), user.gid(), user.additionalGids(), HOSTNAME, e.network(), e.security(), e.platform(),
            runMounts, tail.stream(vertex, 1, listener), tail.stream(vertex, 2, listener)));
        if (r.exitCode() != 0 || r.signal().isPresent()) {
          throw new ExecFailedException(e.args(), r.exitCode(), r.signal().orElse(null), tail.lastLines());
        }
        return r.createdPaths();
      });
    } finally {
      processSlots.release();
    }
  }

  private FsState copy(Op.Copy c, List<FsState> inputs) throws Exception {
    if (c.source() instanceof Op.CopySource.Context ctx) {
      return worker.snapshots.mutate(inputs.get(0), false, root -> {
        copier(c, root).copy(ctx.dir(), ctx.filter(), c.sources(), root, c.destination());
        return java.util.Set.of();
      });
    }
    try (MountedRoot from = worker.snapshots.view(inputs.get(1))) {
      Path src = from.path();
      return worker.snapshots.mutate(inputs.get(0), false, root -> {
        copier(c, root).copy(src, PathFilter.NONE, c.sources(), root, c.destination());
        return java.util.Set.of();
      });
    }
  }

  /** --chown names are looked up in the destination's own /etc/passwd and /etc/group. */
  private static FileCopier copier(Op.Copy c, Path destRoot) throws Exception {
    Optional<Op.Ownership> owner = Optional.empty();
    if (c.chown().isPresent()) {
      Users.Resolved u = Users.resolve(destRoot, c.chown().get());
      owner = Optional.of(new Op.Ownership(u.uid(), u.gid()));
    }
    return new FileCopier(owner, c.chmod(), c.unpackArchives());
  }

}
