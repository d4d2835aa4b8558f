package dev.jbuild.cli;

import dev.jbuild.cache.CacheRecords;
import dev.jbuild.cache.ContentStore;
import dev.jbuild.cache.StoreLock;
import dev.jbuild.exporters.ExportException;
import dev.jbuild.exporters.ExportResult;
import dev.jbuild.exporters.Exporter;
import dev.jbuild.exporters.ImageSet;
import dev.jbuild.nativeexec.OciRuntimeExecutor;
import dev.jbuild.nativeexec.Snapshotter;
import dev.jbuild.parser.Dockerfile;
import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.DockerfileParser;
import dev.jbuild.platform.Emulation;
import dev.jbuild.platform.Platform;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.ImageResolver;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.solver.ExecFailedException;
import dev.jbuild.solver.ImageResult;
import dev.jbuild.solver.Op;
import dev.jbuild.solver.SolveException;
import dev.jbuild.solver.SolveOptions;
import dev.jbuild.solver.Solver;
import dev.jbuild.solver.Vertex;
import dev.jbuild.solver.Worker;
import dev.jbuild.frontend.BuildPlan;
import dev.jbuild.frontend.BuildRequest;
import dev.jbuild.frontend.DockerfileFrontend;
import dev.jbuild.frontend.ImageAssembler;
import dev.jbuild.frontend.ImageRecipe;
import dev.jbuild.solver.progress.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One build, start to finish: parse, plan, check prerequisites, solve, assemble, export. Every
 * failure becomes a {@link UserError} whose message is the one paragraph the user sees.
 */
final class BuildRunner {
  record Outcome(List<ExportResult> exports, List<ImageResult> images, String rootDigest) {}

  private final Path storeRoot;
  private final Progress progress;
  private final SolveOptions solveOptions;
  private final Optional<String> ociRuntime;
  private final java.util.function.Consumer<String> warn;
  private final dev.jbuild.registry.RegistryConfig registryConfig;
  private final boolean pull;

  /** @param pull resolve base image tags against the registry again (--pull) instead of reusing earlier answers */
  BuildRunner(Path storeRoot, Progress progress, SolveOptions solveOptions, Optional<String> ociRuntime,
      java.util.function.Consumer<String> warn, dev.jbuild.registry.RegistryConfig registryConfig, boolean pull) {
    this.storeRoot = storeRoot;
    this.progress = progress;
    this.solveOptions = solveOptions;
    this.ociRuntime = ociRuntime;
    this.warn = warn;
    this.registryConfig = registryConfig;
    this.pull = pull;
  }

  /** Exporters are created once the registry client exists, so they can share it. */
  interface ExporterFactory {
    List<Exporter> create(RegistryClient registry) throws UserError;
  }

  Outcome run(Path dockerfilePath, BuildRequest request, ExporterFactory exporters) throws UserError, InterruptedException {
    Parsed parsed = parse(dockerfilePath);
    Checks.Result checks = Checks.run(parsed.dockerfile(), parsed.lines(), request.buildArgs());
    for (dev.jbuild.parser.LintWarning w : checks.warnings()) {
      warn.accept(Checks.render(w, parsed.dockerfile().fileName(), parsed.lines()));
    }
    Checks.enforce(parsed.dockerfile(), checks);
    try {
      request = request.withContextFilter(
          dev.jbuild.frontend.ContextIgnore.load(request.contextDir(), dockerfilePath));
    } catch (DockerfileException e) {
      throw new UserError(e.render(), e);
    } catch (IOException e) {
      throw new UserError("cannot read the .dockerignore file: " + e.getMessage(), e);
    }
    try (StoreLock lock = StoreLock.shared(storeRoot)) {
      ContentStore content = new ContentStore(storeRoot);
      RegistryClient registry = RegistryClient.create(registryConfig);
      List<Exporter> outputs = exporters.create(registry);
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
      BuildPlan plan;
      try {
        plan = frontend.plan(parsed.dockerfile, parsed.lines, request);
      } catch (DockerfileException e) {
        throw new UserError(e.render(), e);
      }
      plan.warnings().forEach(warn);
      checkEmulation(plan);
      List<ImageResult> images = new ArrayList<>();
      try (Worker worker = new Worker(storeRoot, content, new CacheRecords(storeRoot, content),
              Snapshotter.detect(storeRoot), () -> OciRuntimeExecutor.detect(ociRuntime), registry,
              request.sourceDateEpoch(), request.runOptions());
          Solver solver = new Solver(worker, progress, solveOptions);
          Interruption onSignal = Interruption.stopping(solver, worker)) {
        solver.solveAll(plan.images().stream().map(ImageRecipe::root).toList());
        ImageAssembler assembler = new ImageAssembler(solver, request.sourceDateEpoch());
        for (ImageRecipe r : plan.images()) {
          images.add(assembler.assemble(r));
        }
      } catch (SolveException e) {
        throw new UserError(describe(plan, e), e);
      }
      ImageSet set = ImageSet.of(images, content);
      List<ExportResult> results = new ArrayList<>();
      for (Exporter out : outputs) {
        try {
          results.add(out.export(set, progress));
        } catch (ExportException e) {
          throw new UserError(e.getMessage(), e);
        }
      }
      // the first image output's root: its compression and media types may differ from the default
      String root = results.stream().flatMap(r -> r.root().stream()).findFirst().orElse(set.root()).digest();
      return new Outcome(results, images, root);
    } catch (IOException e) {
      throw new UserError("jbuild store " + storeRoot + ": " + e.getMessage(), e);
    }
  }

  /** {@code --check}: runs the build checks only; the number of warnings found. */
  int check(Path dockerfilePath, java.util.Map<String, String> buildArgs, java.io.PrintStream err) throws UserError {
    Parsed parsed = parse(dockerfilePath);
    Checks.Result checks = Checks.run(parsed.dockerfile(), parsed.lines(), buildArgs);
    for (dev.jbuild.parser.LintWarning w : checks.warnings()) {
      err.println("WARNING: " + Checks.render(w, parsed.dockerfile().fileName(), parsed.lines()));
    }
    err.println(checks.warnings().isEmpty() ? "Check complete, no warnings found."
        : "Check complete, " + checks.warnings().size() + " warning" + (checks.warnings().size() == 1 ? " has" : "s have")
            + " been found!");
    return checks.warnings().size();
  }

  private record Parsed(Dockerfile dockerfile, List<String> lines) {}

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
      return new Parsed(DockerfileParser.parse(name, text), lines);
    } catch (DockerfileException e) {
      throw new UserError(e.render(), e);
    }
  }

  /** Every platform that will run a process must be runnable here; say how to fix it otherwise. */
  private static void checkEmulation(BuildPlan plan) throws UserError {
    Set<Platform> needed = new TreeSet<>();
    Set<Vertex> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (ImageRecipe r : plan.images()) {
      collectExecPlatforms(r.root(), needed, seen);
    }
    Emulation emulation = Emulation.system();
    List<String> problems = new ArrayList<>();
    for (Platform p : needed) {
      if (!emulation.check(p).usable()) {
        problems.add("cannot run " + p + " programs on this " + Platform.host() + " host: " + emulation.remedy(p));
      }
    }
    if (!problems.isEmpty()) {
      throw new UserError(String.join("\n", new LinkedHashSet<>(problems)));
    }
  }

  private static void collectExecPlatforms(Vertex v, Set<Platform> out, Set<Vertex> seen) {
    if (!seen.add(v)) {
      return;
    }
    if (v.op() instanceof Op.Exec e) {
      out.add(e.platform());
    }
    for (Vertex in : v.op().inputs()) {
      collectExecPlatforms(in, out, seen);
    }
  }

  /** The paragraph for a failed step: location, the instruction, why, and the process's last output. */
  private static String describe(BuildPlan plan, SolveException e) {
    String message = e.getMessage();
    StringBuilder sb = new StringBuilder();
    Optional<DockerfileException> located = e.vertex() == null ? Optional.empty() : plan.locate(e.vertex(), message);
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
