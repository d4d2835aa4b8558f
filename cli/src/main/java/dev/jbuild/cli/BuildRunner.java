package dev.jbuild.cli;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.cache.StoreLock;
import dev.jbuild.cache.StoreSession;
import dev.jbuild.exporters.ExportException;
import dev.jbuild.exporters.ExportResult;
import dev.jbuild.exporters.Exporter;
import dev.jbuild.exporters.ImageSet;
import dev.jbuild.frontend.BuildPlan;
import dev.jbuild.frontend.BuildRequest;
import dev.jbuild.frontend.DockerfileFrontend;
import dev.jbuild.frontend.ImageAssembler;
import dev.jbuild.frontend.ImageRecipe;
import dev.jbuild.nativeexec.OciRuntimeExecutor;
import dev.jbuild.nativeexec.Snapshotter;
import dev.jbuild.oci.ImageResult;
import dev.jbuild.parser.Dockerfile;
import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.DockerfileParser;
import dev.jbuild.platform.Emulation;
import dev.jbuild.platform.Platform;
import dev.jbuild.progress.Progress;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.ImageResolver;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.solver.ExecFailedException;
import dev.jbuild.solver.Op;
import dev.jbuild.solver.SolveException;
import dev.jbuild.solver.SolveOptions;
import dev.jbuild.solver.Solver;
import dev.jbuild.solver.Vertex;
import dev.jbuild.solver.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One build, start to finish: parse, plan, check prerequisites, solve, assemble, export. Every
 * failure becomes a {@link UserError} whose message is the one paragraph the user sees.
 */
final class BuildRunner {
  /** @param root the image's root digest; asked for only when wanted, since without an output it compresses layers */
  record Outcome(List<ExportResult> exports, List<ImageResult> images, RootDigest root,
                 Optional<String> emulationReport) {
    String rootDigest() throws UserError {
      return root.get();
    }
  }

  @FunctionalInterface
  interface RootDigest {
    String get() throws UserError;
  }

  private final Path storeRoot;
  private final Progress progress;
  private final SolveOptions solveOptions;
  private final Optional<String> ociRuntime;
  private final java.util.function.Consumer<String> warn;
  private final dev.jbuild.registry.RegistryConfig registryConfig;
  private final boolean pull;
  private final EmulationReport emulation = new EmulationReport();
  private CacheTransfer cache = CacheTransfer.NONE;
  private boolean gitModes;

  /** @param pull resolve base image tags against the registry again (--pull) instead of reusing earlier answers */
  BuildRunner(Path storeRoot, Progress progress, SolveOptions solveOptions, Optional<String> ociRuntime,
      java.util.function.Consumer<String> warn, dev.jbuild.registry.RegistryConfig registryConfig, boolean pull) {
    this.storeRoot = storeRoot;
    this.progress = new Progress(emulation.watching(progress.listener()));
    this.solveOptions = solveOptions;
    this.ociRuntime = ociRuntime;
    this.warn = warn;
    this.registryConfig = registryConfig;
    this.pull = pull;
  }

  /** Makes what is attested about the images once the plan is known ({@code --provenance}, {@code --sbom}). */
  interface AttestorFactory {
    dev.jbuild.exporters.attest.Attestor create(BuildPlan plan, String dockerfileText);
  }

  /** {@code --context-perms=git}: context files get the modes git stores (0644/0755). */
  BuildRunner withGitModes(boolean on) {
    this.gitModes = on;
    return this;
  }

  /** Imports caches before the build and exports its cache after it. */
  BuildRunner withCache(CacheTransfer transfer) {
    this.cache = transfer;
    return this;
  }

  /** Exporters are created once the registry client exists, so they can share it. */
  interface ExporterFactory {
    List<Exporter> create(RegistryClient registry) throws UserError;
  }

  Outcome run(Job job) throws UserError, InterruptedException {
    return runAll(List.of(job)).get(0);
  }

  /** One Dockerfile to build, with its outputs and what is attested about its images. */
  record Job(Path dockerfile, BuildRequest request, ExporterFactory exporters, AttestorFactory attestors) {}

  /**
   * Builds several Dockerfiles in one solve: identical vertices (a shared base stage, the same base
   * image) have the same cache key and run once. Every job gets the RUN options of the first.
   */
  List<Outcome> runAll(List<Job> jobs) throws UserError, InterruptedException {
    List<Parsed> parsedJobs = new ArrayList<>();
    List<BuildRequest> requests = new ArrayList<>();
    for (Job job : jobs) {
      Parsed parsed = parse(job.dockerfile());
      Checks.Result checks = Checks.run(parsed.dockerfile(), parsed.lines(), job.request().buildArgs());
      for (dev.jbuild.parser.LintWarning w : checks.warnings()) {
        warn.accept(Checks.render(w, parsed.dockerfile().fileName(), parsed.lines()));
      }
      Checks.enforce(parsed.dockerfile(), checks);
      try {
        dev.jbuild.solver.PathFilter ignore =
            dev.jbuild.frontend.ContextIgnore.load(job.request().contextDir(), job.dockerfile());
        requests.add(job.request().withContextFilter(gitModes ? dev.jbuild.solver.PathFilter.withGitModes(ignore) : ignore));
      } catch (DockerfileException e) {
        throw new UserError(e.render(), e);
      } catch (IOException e) {
        throw new UserError("cannot read the .dockerignore file: " + e.getMessage(), e);
      }
      parsedJobs.add(parsed);
    }
    BuildRequest first = requests.get(0);
    try (StoreLock lock = StoreLock.shared(storeRoot); StoreSession session = StoreMaintenance.open(storeRoot);
         RegistryClient registry = RegistryClient.create(registryConfig)) {
      ContentStore content = new ContentStore(storeRoot);
      List<List<Exporter>> outputs = new ArrayList<>();
      for (Job job : jobs) {
        outputs.add(job.exporters().create(registry));
      }
      ImageResolver resolver = new ImageResolver(registry,
          Optional.of(new dev.jbuild.registry.ResolvedImageCache(storeRoot.resolve("resolved"))), pull);
      OciLayoutImages layouts = new OciLayoutImages(content);
      DockerfileFrontend frontend = new DockerfileFrontend((ref, platform) -> {
        if (ref.startsWith(OciLayoutImages.SCHEME)) { // --build-context NAME=oci-layout://PATH
          return layouts.resolve(ref, platform);
        }
        try {
          return progress.step("[internal] load metadata for " + ref + " (" + platform + ")",
              step -> resolver.resolve(ImageReference.parse(ref), platform));
        } catch (dev.jbuild.registry.RegistryException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, Platform.host());
      List<BuildPlan> plans = new ArrayList<>();
      for (int i = 0; i < jobs.size(); i++) {
        BuildPlan plan;
        try {
          plan = frontend.plan(parsedJobs.get(i).dockerfile, parsedJobs.get(i).lines, requests.get(i));
        } catch (DockerfileException e) {
          throw new UserError(e.render(), e);
        }
        plan.warnings().forEach(warn);
        emulation.watch(checkEmulation(plan));
        plans.add(plan);
      }
      List<List<ImageResult>> images = new ArrayList<>();
      dev.jbuild.cache.BuildRecords records = cache.records(storeRoot, content, registry, progress, warn);
      java.util.Set<String> cacheMountsUsed;
      try (Worker worker = new Worker(storeRoot, content, records,
              Snapshotter.detect(storeRoot), () -> OciRuntimeExecutor.detect(ociRuntime), registry,
              first.sourceDateEpoch(), first.runOptions());
          Solver solver = new Solver(worker, progress, solveOptions);
          Interruption onSignal = Interruption.stopping(solver, worker)) {
        // misses are explained against the last build of the same Dockerfiles, contexts and targets
        List<String> missKey = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
          missKey.add(requests.get(i).contextDir() + "\0" + jobs.get(i).dockerfile().toAbsolutePath()
              + "\0" + requests.get(i).target().orElse(""));
        }
        dev.jbuild.solver.MissLog misses = new dev.jbuild.solver.MissLog(storeRoot, String.join("\n", missKey));
        solver.explainMisses(misses);
        try {
          solver.solveAll(plans.stream().flatMap(p -> p.images().stream()).map(ImageRecipe::root).toList());
        } finally {
          misses.save();
        }
        cacheMountsUsed = worker.cacheMountsUsed();
        ImageAssembler assembler = new ImageAssembler(solver, first.sourceDateEpoch());
        for (BuildPlan plan : plans) {
          List<ImageResult> forPlan = new ArrayList<>();
          for (ImageRecipe r : plan.images()) {
            forPlan.add(cache.inline(records, assembler.assemble(r)));
          }
          images.add(forPlan);
        }
      } catch (SolveException e) {
        throw new UserError(describe(plans, e), e);
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < jobs.size(); i++) {
        ImageSet set = ImageSet.of(images.get(i), content, jobs.get(i).attestors().create(plans.get(i), parsedJobs.get(i).text()));
        List<ExportResult> results = new ArrayList<>();
        for (Exporter out : outputs.get(i)) {
          try {
            results.add(out.export(set, progress));
          } catch (ExportException e) {
            throw new UserError(e.getMessage(), e);
          }
        }
        // the first image output's root: its compression and media types may differ from the default
        Optional<String> exported = results.stream().flatMap(r -> r.root().stream()).findFirst().map(d -> d.digest());
        outcomes.add(new Outcome(results, images.get(i), () -> exported.isPresent() ? exported.get() : defaultRoot(set),
            emulation.render(Platform.host())));
      }
      cache.export(records, images.stream().flatMap(List::stream).toList(), cacheMountsUsed, storeRoot, content, registry,
          progress, warn);
      return outcomes;
    } catch (IOException e) {
      throw new UserError("jbuild store " + storeRoot + ": " + e.getMessage(), e);
    }
  }

  /** Without an image output the root needs the gzip layers, made here (under the store lock again). */
  private String defaultRoot(ImageSet set) throws UserError {
    try (StoreLock lock = StoreLock.shared(storeRoot); StoreSession session = StoreSession.open(storeRoot)) {
      return set.made().root().digest();
    } catch (IOException e) {
      throw new UserError("jbuild store " + storeRoot + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted", e);
    }
  }

  /** {@code --check}: runs the build checks only (of an existing target); the number of warnings found. */
  int check(Path dockerfilePath, java.util.Map<String, String> buildArgs, Optional<String> target, java.io.PrintStream err)
      throws UserError {
    Parsed parsed = parse(dockerfilePath);
    try {
      dev.jbuild.parser.DockerfileStages.of(parsed.dockerfile(), parsed.lines()).targetStage(target);
    } catch (DockerfileException e) {
      throw new UserError(e.render(), e);
    }
    Checks.Result checks = Checks.run(parsed.dockerfile(), parsed.lines(), buildArgs);
    for (dev.jbuild.parser.LintWarning w : checks.warnings()) {
      err.println("WARNING: " + Checks.render(w, parsed.dockerfile().fileName(), parsed.lines()));
    }
    err.println(checks.warnings().isEmpty() ? "Check complete, no warnings found."
        : "Check complete, " + checks.warnings().size() + " warning" + (checks.warnings().size() == 1 ? " has" : "s have")
            + " been found!");
    return checks.warnings().size();
  }

  private record Parsed(Dockerfile dockerfile, List<String> lines, String text) {}

  private Parsed parse(Path file) throws UserError {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UserError("failed to read the Dockerfile: " + file + ": no such file");
    } catch (IOException e) {
      throw new UserError("failed to read the Dockerfile " + file + ": " + e.getMessage(), e);
    }
    String name = file.getFileName().toString();
    List<String> lines = text.lines().toList();
    try {
      return new Parsed(DockerfileParser.parse(name, text), lines, text);
    } catch (DockerfileException e) {
      throw new UserError(e.render(), e);
    }
  }

  /**
   * Every platform that will run a process must be runnable here; say how to fix it otherwise.
   * Returns the RUN steps that will run under emulation, by their progress name.
   */
  private static Map<String, EmulationReport.Step> checkEmulation(BuildPlan plan) throws UserError {
    List<Vertex> execs = new ArrayList<>();
    Set<Vertex> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (ImageRecipe r : plan.images()) {
      collectExecs(r.root(), execs, seen);
    }
    Emulation emulation = Emulation.system();
    List<String> problems = new ArrayList<>();
    Map<String, EmulationReport.Step> emulated = new java.util.HashMap<>();
    Set<Platform> checked = new TreeSet<>();
    for (Vertex v : execs) {
      Op.Exec e = (Op.Exec) v.op();
      Emulation.Support support = emulation.check(e.platform());
      if (checked.add(e.platform()) && !support.usable()) {
        problems.add("cannot run " + e.platform() + " programs on this " + Platform.host() + " host: "
            + emulation.remedy(e.platform()));
      }
      if (!support.native_()) {
        Optional<String> where = plan.locate(v, "").map(d -> d.fileName() + ":" + d.range().startLine());
        String command = plan.origin(v).map(i -> i.original()).orElse(String.join(" ", e.args()));
        emulated.put(v.name(), new EmulationReport.Step(v.name(), e.platform(), command, where));
      }
    }
    if (!problems.isEmpty()) {
      throw new UserError(String.join("\n", new LinkedHashSet<>(problems)));
    }
    return emulated;
  }

  private static void collectExecs(Vertex v, List<Vertex> out, Set<Vertex> seen) {
    if (!seen.add(v)) {
      return;
    }
    if (v.op() instanceof Op.Exec) {
      out.add(v);
    }
    for (Vertex in : v.op().inputs()) {
      collectExecs(in, out, seen);
    }
  }

  /** The paragraph for a failed step: location, the instruction, why, and the process's last output. */
  private static String describe(List<BuildPlan> plans, SolveException e) {
    String message = e.getMessage();
    StringBuilder sb = new StringBuilder();
    BuildPlan plan = plans.get(0);
    Optional<DockerfileException> located = Optional.empty();
    for (BuildPlan p : plans) {
      located = e.vertex() == null ? Optional.empty() : p.locate(e.vertex(), message);
      if (located.isPresent()) {
        plan = p;
        break;
      }
    }
    if (located.isPresent()) {
      DockerfileException d = located.get();
      String what = plan.origin(e.vertex()).map(i -> firstLine(i.original())).orElse("");
      sb.append(new DockerfileException(d.fileName(), d.range(), (what.isEmpty() ? "" : what + ": ") + message,
          List.of()).getMessage());
      String rendered = d.render();
      int nl = rendered.indexOf('\n');
      if (nl >= 0) {
        sb.append(rendered.substring(nl));
      }
    } else {
      sb.append(e.vertex() != null ? e.vertex().name() + ": " : "").append(message);
    }
    if (e.getCause() instanceof ExecFailedException x && !x.lastLines().isEmpty()) {
      sb.append("\nlast output of the command:");
      for (String l : x.lastLines()) {
        sb.append("\n  ").append(l);
      }
    }
    return sb.toString();
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl) + " …";
  }
}
