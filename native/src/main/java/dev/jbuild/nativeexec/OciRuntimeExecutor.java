package dev.jbuild.nativeexec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.platform.Platform;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs processes with runc or crun: one temporary bundle (config.json, hosts file) per run,
 * {@code <runtime> run}, output streamed through, container state always deleted afterwards.
 */
public final class OciRuntimeExecutor implements Executor {
  private static final List<String> SEARCH_ORDER = List.of("runc", "crun");
  private static final String UNIFIED_CGROUP = "/sys/fs/cgroup/unified";
  private static final List<String> SIGNALS = List.of("", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
      "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
      "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
      "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS");
  /** In a holder: the executor's class is loaded by every build (bundle sweep), a SecureRandom costs ≈ 10 ms. */
  private static final class ContainerIds {
    static final SecureRandom RANDOM = new SecureRandom();
  }
  /** Bundles may hold secrets (files, env in config.json): keep them in memory when /dev/shm allows. */
  private static final Path BUNDLE_PARENT = bundleParent();
  private static final String BUNDLE_PREFIX = "jbuild-run-";

  /**
   * Removes bundles that killed builds left behind (they can hold secrets): those named for a
   * process that is gone, and unnamed ones of older versions once they are an hour old.
   *
   * @return how many were removed
   */
  public static int removeStaleBundles() {
    int removed = 0;
    try (java.util.stream.Stream<Path> s = Files.list(BUNDLE_PARENT)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String rest = p.getFileName().toString();
        if (!rest.startsWith(BUNDLE_PREFIX) || !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        rest = rest.substring(BUNDLE_PREFIX.length());
        int dash = rest.indexOf('-');
        boolean stale;
        if (dash > 0 && rest.substring(0, dash).matches("\\d+")) {
          stale = !ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).map(ProcessHandle::isAlive).orElse(false);
        } else {
          stale = Files.getLastModifiedTime(p).toInstant().isBefore(java.time.Instant.now().minusSeconds(3600));
        }
        if (stale) {
          try {
            LayerReader.removeRecursively(p);
            removed++;
          } catch (IOException e) {
            // owned by another user or still mounted: not ours to force
          }
        }
      }
    } catch (IOException e) {
      // nothing to clean where we cannot list
    }
    return removed;
  }

  /** Where bundles are made (/dev/shm when it allows executing, else the temp dir). */
  public static Path bundleDirectory() {
    return BUNDLE_PARENT;
  }

  private final String name;
  private final Path binary;
  private final boolean crun;
  private final Path stateRoot;
  /** Prefix that hides the cgroup2 hierarchy of a hybrid host from crun, which refuses it otherwise. */
  private final List<String> launcher;
  private final HostLimits hostLimits;

  private OciRuntimeExecutor(String name, Path binary) {
    this.name = name;
    this.binary = binary;
    this.crun = name.contains("crun");
    this.stateRoot = stateRoot(crun ? "crun" : "runc");
    // in a user namespace the inherited mount is locked and cannot be unmounted, only covered
    String hide = UserNamespace.isNested() ? "mount -t tmpfs -o ro tmpfs " + UNIFIED_CGROUP : "umount -l " + UNIFIED_CGROUP;
    this.launcher = crun && hybridCgroupsWithV2Controllers()
        ? List.of("unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", hide + " && exec \"$@\"", "sh")
        : List.of();
    this.hostLimits = HostLimits.current();
  }

  /**
   * Finds the named runtime ("runc", "crun" or a path), or else runc, or else crun, on the PATH.
   *
   * @throws MissingPrerequisiteException naming the Debian package to install
   */
  public static OciRuntimeExecutor detect(Optional<String> runtimeName) throws MissingPrerequisiteException {
    if (runtimeName.isPresent()) {
      String wanted = runtimeName.get();
      Path p = wanted.contains("/") ? Path.of(wanted) : findOnPath(wanted);
      if (p == null || !Files.isExecutable(p)) {
        String pkg = Path.of(wanted).getFileName().toString();
        throw new MissingPrerequisiteException("the OCI runtime " + wanted + " is not installed"
            + (SEARCH_ORDER.contains(pkg) ? ": install it with `apt-get install -y " + pkg + "`" : ""));
      }
      return new OciRuntimeExecutor(p.getFileName().toString(), p);
    }
    for (String candidate : SEARCH_ORDER) {
      Path p = findOnPath(candidate);
      if (p != null) {
        return new OciRuntimeExecutor(candidate, p);
      }
    }
    throw new MissingPrerequisiteException("RUN needs an OCI runtime and neither runc nor crun is on the PATH:"
        + " install one with `apt-get install -y runc` (or `apt-get install -y crun`)");
  }

  /** "runc" or "crun" (the program's file name). */
  public String runtimeName() {
    return name;
  }

  @Override
  public ExecResult run(ExecSpec spec) throws IOException, InterruptedException {
    Optional<String> excess = hostLimits.excess(spec.limits().rlimits());
    if (excess.isPresent()) {
      throw new IOException("--ulimit: " + excess.get());
    }
    String id = containerId(spec.id());
    Path bundle = Files.createTempDirectory(BUNDLE_PARENT, BUNDLE_PREFIX + ProcessHandle.current().pid() + "-");
    boolean interrupted = false;
    List<SocketForwarder> forwarders = new ArrayList<>();
    try {
      MountPoints mountPoints = new MountPoints(spec.rootfs());
      mountPoints.ensure("/proc", true);
      mountPoints.ensure("/dev", true);
      mountPoints.ensure("/sys", true);
      mountPoints.ensure("/etc/resolv.conf", false);
      mountPoints.ensure("/etc/hosts", false);
      List<RuntimeSpec.RuntimeMount> extra = prepareMounts(spec, bundle, mountPoints, forwarders);
      mountPoints.ensureKept(spec.cwd()); // as a runtime would: a RUN in a new WORKDIR keeps the directory

      Path hosts = bundle.resolve("hosts");
      Files.writeString(hosts, RuntimeSpec.hostsFile(spec));
      Path resolvConf = Path.of("/etc/resolv.conf");
      if (!Files.isRegularFile(resolvConf)) {
        resolvConf = Files.createFile(bundle.resolve("resolv.conf"));
      }
      Files.write(bundle.resolve("config.json"), RuntimeSpec.json(spec, resolvConf, hosts, hostLimits, extra));
      Path log = bundle.resolve("runtime.log");

      List<String> command = new ArrayList<>(personality(spec.platform()));
      command.addAll(runtimeCommand(log));
      command.addAll(List.of("run", "--bundle", bundle.toString(), id));
      Process process = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      AtomicReference<IOException> outputFailure = new AtomicReference<>();
      Thread out = pump(process.getInputStream(), spec.stdout(), id + " stdout", outputFailure);
      Thread err = pump(process.getErrorStream(), spec.stderr(), id + " stderr", outputFailure);
      int code;
      try {
        code = process.waitFor();
        out.join();
        err.join();
      } catch (InterruptedException e) {
        interrupted = true;
        stop(id, process);
        throw e;
      }
      if (outputFailure.get() != null) {
        throw new IOException("cannot pass on the output of " + spec.args().get(0) + ": "
            + outputFailure.get().getMessage(), outputFailure.get());
      }
      Optional<String> runtimeError = runtimeError(log);
      if (code != 0 && runtimeError.isPresent()) {
        throw new IOException(name + " could not run " + String.join(" ", spec.args()) + ": " + runtimeError.get());
      }
      return new ExecResult(code, signalName(code), mountPoints.created());
    } finally {
      interrupted |= Thread.interrupted(); // clean up even when interrupted, then re-assert
      try {
        deleteContainer(id);
        for (SocketForwarder f : forwarders) {
          f.close();
        }
        LayerReader.removeRecursively(bundle);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * Creates the mount points of the run's own mounts in the rootfs and what they need on the host:
   * files (secrets, scripts) in the bundle, which lives on a tmpfs when there is one, and socket
   * forwarders.
   */
  private static List<RuntimeSpec.RuntimeMount> prepareMounts(ExecSpec spec, Path bundle, MountPoints mountPoints,
      List<SocketForwarder> forwarders) throws IOException {
    List<RuntimeSpec.RuntimeMount> out = new ArrayList<>();
    int n = 0;
    for (Mount m : spec.mounts()) {
      n++;
      String target = m.target();
      if (m instanceof Mount.Bind b) {
        ensure(mountPoints, target, Files.isDirectory(b.source()));
        out.add(new RuntimeSpec.RuntimeMount(target, "bind", b.source().toAbsolutePath().toString(),
            List.of("rbind", b.readOnly() ? "ro" : "rw")));
      } else if (m instanceof Mount.Tmpfs t) {
        ensure(mountPoints, target, true);
        List<String> options = new ArrayList<>(List.of("nosuid", "nodev", "mode=1777"));
        if (t.sizeBytes() > 0) {
          options.add("size=" + t.sizeBytes());
        }
        out.add(new RuntimeSpec.RuntimeMount(target, "tmpfs", "tmpfs", options));
      } else if (m instanceof Mount.File f) {
        Path dir = Files.createDirectories(bundle.resolve("files"));
        Path file = dir.resolve(Integer.toString(n));
        Files.write(file, f.content());
        Libc.lchown(file, f.uid(), f.gid());
        Libc.chmod(file, f.mode());
        ensure(mountPoints, target, false);
        out.add(new RuntimeSpec.RuntimeMount(target, "bind", file.toString(), List.of("rbind", "ro", "nosuid", "nodev")));
      } else if (m instanceof Mount.ForwardedSocket s) {
        Path socket = bundle.resolve("socket-" + n);
        forwarders.add(SocketForwarder.start(s.upstream(), socket, s.uid(), s.gid(), s.mode()));
        ensure(mountPoints, target, false);
        out.add(new RuntimeSpec.RuntimeMount(target, "bind", socket.toString(), List.of("rbind", "rw", "nosuid", "nodev")));
      }
    }
    return out;
  }

  /** /proc, /sys and /dev are the kernel's and the runtime's: the runtime makes mount points there. */
  private static void ensure(MountPoints mountPoints, String target, boolean directory) throws IOException {
    if (!insideKernelMounts(target)) {
      mountPoints.ensure(target, directory);
    }
  }

  /**
   * A 32-bit platform that runs natively gets the 32-bit personality (inherited by the runtime's
   * children), so {@code uname -m} says i686 or armv8l; emulated ones are answered by qemu.
   */
  static List<String> personality(Platform target) {
    Platform host = Platform.host();
    boolean compat = (host.architecture().equals("amd64") && target.architecture().equals("386"))
        || (host.architecture().equals("arm64") && target.architecture().equals("arm"));
    return compat ? List.of("setarch", "linux32") : List.of();
  }

  /**
   * Where the runtime keeps container state: /run as root; in a user namespace (rootless), which
   * cannot write there, $XDG_RUNTIME_DIR or the temp dir.
   */
  private static Path stateRoot(String runtime) {
    if (Files.isWritable(Path.of("/run")) && !UserNamespace.isNested()) {
      return Path.of("/run", runtime);
    }
    String xdg = System.getenv("XDG_RUNTIME_DIR");
    Path base = xdg != null && !xdg.isBlank() && Files.isWritable(Path.of(xdg)) ? Path.of(xdg)
        : Path.of(System.getProperty("java.io.tmpdir"), "jbuild-" + UserNamespace.hostUid());
    return base.resolve("jbuild-" + runtime);
  }

  private static Path bundleParent() {
    Path shm = Path.of("/dev/shm");
    try {
      if (Files.isDirectory(shm) && Files.isWritable(shm)) {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
          String[] f = line.split(" ");
          if (f.length > 5 && f[4].equals("/dev/shm")) {
            // scripts in the bundle are executed, and files are handed to other users
            if (!List.of(f[5].split(",")).contains("noexec")) {
              return shm;
            }
          }
        }
      }
    } catch (IOException e) {
      // the temp dir then
    }
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  private List<String> runtimeCommand(Path log) {
    List<String> command = new ArrayList<>(launcher);
    command.add(binary.toString());
    command.addAll(List.of("--root", stateRoot.toString()));
    if (crun) {
      command.addAll(List.of("--log=file:" + log, "--log-format=json"));
    } else {
      command.addAll(List.of("--log", log.toString(), "--log-format", "json"));
    }
    return command;
  }

  /** Kills the container's processes (its init ignores TERM), then the runtime process itself. */
  private void stop(String id, Process process) {
    try {
      List<String> kill = runtimeCommand(Path.of("/dev/null"));
      kill.addAll(List.of("kill", id, "KILL"));
      runQuietly(kill);
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
    }
  }

  /** `runtime delete -f` when state is left (a normal `run` removes its own), so nothing leaks. */
  private void deleteContainer(String id) {
    if (!Files.exists(stateRoot.resolve(id))) {
      return;
    }
    List<String> delete = runtimeCommand(Path.of("/dev/null"));
    delete.addAll(List.of("delete", "-f", id));
    try {
      runQuietly(delete);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void runQuietly(List<String> command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      // best effort: the state dir stays and the next delete (or a reboot) clears it
    }
  }

  /** Copies as it arrives; after a failed write keeps draining so the container never blocks on a full pipe. */
  private static Thread pump(InputStream in, OutputStream sink, String name, AtomicReference<IOException> failure) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      boolean broken = false;
      try (in) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (broken || n == 0) {
            continue;
          }
          try {
            synchronized (sink) { // stdout and stderr may be one stream
              sink.write(buf, 0, n);
              sink.flush();
            }
          } catch (IOException e) {
            broken = true;
            failure.compareAndSet(null, e);
          }
        }
      } catch (IOException e) {
        failure.compareAndSet(null, e);
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static Optional<String> runtimeError(Path log) {
    try {
      if (!Files.exists(log)) {
        return Optional.empty();
      }
      List<String> messages = new ArrayList<>();
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode n = dev.jbuild.oci.JsonTrees.parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
          String level = n.path("level").asText();
          if (level.equals("error") || level.equals("fatal")) {
            messages.add(n.path("msg").asText());
          }
        } catch (IOException e) {
          messages.add(line.strip());
        }
      }
      return messages.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", messages));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Runtimes report death by signal n as exit code 128+n, as shells do. */
  static Optional<String> signalName(int exitCode) {
    int n = exitCode - 128;
    return n > 0 && n < SIGNALS.size() ? Optional.of(SIGNALS.get(n)) : Optional.empty();
  }

  /** Unique per run; runc allows [A-Za-z0-9_+.-]. */
  static String containerId(String runId) {
    String clean = runId.replaceAll("[^A-Za-z0-9_.-]", "-");
    if (clean.length() > 40) {
      clean = clean.substring(0, 40);
    }
    byte[] random = new byte[6];
    ContainerIds.RANDOM.nextBytes(random);
    return "jbuild-" + (clean.isEmpty() ? "" : clean + "-") + HexFormat.of().formatHex(random);
  }

  private static boolean insideKernelMounts(String target) {
    return target.startsWith("/proc/") || target.startsWith("/sys/") || target.startsWith("/dev/")
        || target.equals("/proc") || target.equals("/sys") || target.equals("/dev");
  }

  /** crun 1.8 rejects hosts whose cgroup2 half (hybrid mode) has controllers enabled. */
  private static boolean hybridCgroupsWithV2Controllers() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ");
        int sep = List.of(f).indexOf("-");
        if (f.length > 4 && f[4].equals(UNIFIED_CGROUP) && sep > 0 && sep + 1 < f.length && f[sep + 1].equals("cgroup2")) {
          return !Files.readString(Path.of(UNIFIED_CGROUP, "cgroup.controllers")).isBlank();
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  private static Path findOnPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : (path + ":/usr/local/sbin:/usr/sbin:/sbin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return Path.of(dir, program);
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return name + " (" + binary + ")";
  }
}
