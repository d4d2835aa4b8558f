package dev.jbuild.cli;

import dev.jbuild.cache.StoreLocation;
import dev.jbuild.cli.bake.BakeDefinition;
import dev.jbuild.cli.bake.BakeTarget;
import dev.jbuild.cli.progress.ProgressOutput;
import dev.jbuild.frontend.BuildRequest;
import dev.jbuild.frontend.NamedContext;
import dev.jbuild.progress.Progress;
import dev.jbuild.registry.RegistryConfig;
import dev.jbuild.solver.SolveOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild bake}: the targets of compose files and bake JSON/HCL files built in one solve, so
 * what they share (a base stage, a base image) is built once.
 */
@Command(name = "bake", sortOptions = false,
    description = "Build the targets of a compose or bake file (default: compose.yaml, docker-compose.yml,"
        + " docker-bake.json, docker-bake.hcl … in the current directory) in one solve.")
final class BakeCommand implements Callable<Integer> {
  @Parameters(paramLabel = "TARGET", arity = "0..*", description = "Targets or groups to build (default: the group \"default\").")
  List<String> names = new ArrayList<>();

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Build definition file (compose YAML, bake JSON or HCL); repeatable.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--set", paramLabel = "TARGET.KEY=VALUE", description = "Override a target value, e.g. *.platform=linux/arm64,"
      + " app.args.VERSION=2, app.tags=reg/app:2; repeatable.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--push", description = "Push every target's image (same as --set=*.output=type=registry).")
  boolean push;

  @Option(names = "--print", description = "Print the resolved build definition as JSON instead of building.")
  boolean print;

  @Option(names = "--no-cache", description = "Do not use the cache when building.")
  boolean noCache;

  @Option(names = "--pull", description = "Resolve base image tags against the registry again.")
  boolean pull;

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", description = "auto, plain, tty, quiet or rawjson.")
  String progressMode;

  @Option(names = "--config", paramLabel = "FILE", description = "Registry settings (as for build).")
  Path configFile;

  CaCertsOption caCerts = new CaCertsOption();
  /** {@code --provenance}, {@code --sbom}, {@code --attest} for every target; provenance mode=min by default, as buildx bake. */
  AttestationFlags attestationFlags = new AttestationFlags();

  /**
   * {@code bake}: the annotated options, then the groups it shares with {@code build} (specs written
   * in code, see {@link CommandSpecs}) and the help options, in that order in its help.
   */
  static picocli.CommandLine.Model.CommandSpec commandSpec() {
    BakeCommand bake = new BakeCommand();
    picocli.CommandLine.Model.CommandSpec spec = picocli.CommandLine.Model.CommandSpec.forAnnotatedObject(bake)
        .addMixin("caCerts", bake.caCerts.mixin())
        .addMixin("attestationFlags", bake.attestationFlags.mixin());
    return CommandSpecs.withStandardHelpOptions(spec);
  }

  @Override
  public Integer call() throws Exception {
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    try {
      List<BakeTarget> targets = resolve();
      if (print) {
        System.out.println(BakeDefinition.print(names, targets));
        return 0;
      }
      if (RunFlags.needsRootless()) {
        return RunFlags.rerunRootless(err);
      }
      return build(targets, err);
    } catch (UserError e) {
      err.println("ERROR: " + e.getMessage());
      return 1;
    }
  }

  private List<BakeTarget> resolve() throws UserError {
    List<Path> definitions = new ArrayList<>(files);
    if (definitions.isEmpty()) {
      for (String f : BakeDefinition.DEFAULT_FILES) {
        if (Files.isRegularFile(Path.of(f))) {
          definitions.add(Path.of(f));
        }
      }
      if (definitions.isEmpty()) {
        throw new UserError("couldn't find a bake definition: none of " + String.join(", ", BakeDefinition.DEFAULT_FILES)
            + " here; name one with -f FILE");
      }
    }
    for (Path f : definitions) {
      if (!Files.isRegularFile(f)) {
        throw new UserError("-f " + f + ": no such file");
      }
    }
    try {
      return BakeDefinition.load(definitions, System.getenv()).resolve(names, sets);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  private int build(List<BakeTarget> targets, PrintStream err) throws UserError, InterruptedException {
    Instant started = Instant.now();
    Optional<Instant> epoch = BuildCommand.sourceDateEpoch();
    List<dev.jbuild.solver.RunOptions> runOptions = BakeRunOptions.of(targets,
        caCerts.resolve(CaCertsOption.configFile(configFile)), System.getenv());
    List<BuildRunner.Job> jobs = new ArrayList<>();
    Set<CacheSpec> cacheFrom = new LinkedHashSet<>();
    Set<CacheSpec> cacheTo = new LinkedHashSet<>();
    Set<String> insecure = new LinkedHashSet<>();
    for (int i = 0; i < targets.size(); i++) {
      BakeTarget t = targets.get(i);
      String where = "target \"" + t.name() + "\"";
      cacheFrom.addAll(cacheSpecs(where, t.cacheFrom(), CacheSpec.Direction.FROM));
      cacheTo.addAll(cacheSpecs(where, t.cacheTo(), CacheSpec.Direction.TO));
      Path context = Path.of(t.context()).toAbsolutePath().normalize();
      if (!Files.isDirectory(context)) {
        throw new UserError(where + ": context \"" + t.context() + "\" is not a directory");
      }
      Path dockerfile = context.resolve(t.dockerfile()).normalize();
      Outputs outs;
      try {
        outs = Outputs.parse(t.outputs(), push, t.tags(), List.of(), epoch);
      } catch (UserError e) {
        throw new UserError(where + ": " + e.getMessage());
      }
      insecure.addAll(outs.insecureRegistries());
      List<dev.jbuild.platform.Platform> platforms;
      try {
        platforms = BuildCommand.parsePlatforms(t.platforms());
      } catch (UserError e) {
        throw new UserError(where + ": platforms: " + e.getMessage().replaceFirst("^--platform: ", ""));
      }
      BuildRequest request = new BuildRequest(context, dockerfile.getFileName().toString(),
          platforms, t.args(), t.target(), t.labels(), epoch).withRunOptions(runOptions.get(i))
          .withNamedContexts(namedContexts(where, t.contexts()));
      jobs.add(new BuildRunner.Job(dockerfile, request, outs::exporters, Attestations.factory(
          attestationFlags.effective(System.getenv(), outs.takesInlineAttestations()), request, t.tags(), started)));
    }
    RegistryConfig registryConfig = RegistrySettings.load(configFile, insecure);
    boolean anyNoCache = noCache || targets.stream().anyMatch(BakeTarget::noCache);
    boolean anyPull = pull || targets.stream().anyMatch(BakeTarget::pull);
    try (ProgressOutput progressOutput = BuildCommand.progressOutput(progressMode, false, err, false)) {
      BuildRunner runner = new BuildRunner(StoreLocation.resolve(), new Progress(progressOutput.listener()),
          new SolveOptions(anyNoCache, SolveOptions.defaults().maxParallelProcesses()), Optional.empty(),
          progressOutput.warnings(), registryConfig, anyPull)
          .withCache(new CacheTransfer(List.copyOf(cacheFrom), List.copyOf(cacheTo)));
      List<BuildRunner.Outcome> outcomes = runner.runAll(jobs);
      for (int i = 0; i < targets.size(); i++) {
        if (outcomes.get(i).exports().isEmpty()) {
          progressOutput.warnings().accept("target \"" + targets.get(i).name() + "\" has no output: its result stays"
              + " in the build cache (add --push, tags with output, or --set " + targets.get(i).name() + ".output=…)");
        }
      }
    }
    return 0;
  }

  /**
   * A target's named contexts ({@code contexts}, compose's {@code additional_contexts}), with the
   * values {@code --build-context} takes; relative directories are relative to where bake runs
   * (compose files have them resolved against the compose file's directory already).
   */
  private static Map<String, NamedContext> namedContexts(String where, Map<String, String> contexts) throws UserError {
    Map<String, NamedContext> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> c : contexts.entrySet()) {
      try {
        out.put(c.getKey(), NamedContext.parse(c.getValue(), Path.of("")));
      } catch (IllegalArgumentException e) {
        throw new UserError(where + ": contexts." + c.getKey() + "=" + c.getValue() + ": " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * A target's cache-from/cache-to in buildx's syntax. The targets are built in one solve, so
   * every import serves all of them (keys are content addresses) and every export holds the
   * records of the whole run; the same cache named by several targets is imported and exported once.
   */
  private static List<CacheSpec> cacheSpecs(String where, List<String> values, CacheSpec.Direction dir)
      throws UserError {
    List<CacheSpec> out = new ArrayList<>();
    for (String v : values) {
      try {
        out.add(CacheSpec.parse(v, dir));
      } catch (UserError e) {
        throw new UserError(where + ": " + e.getMessage());
      }
    }
    return out;
  }
}
