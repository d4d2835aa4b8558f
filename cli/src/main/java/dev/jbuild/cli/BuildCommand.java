package dev.jbuild.cli;

import dev.jbuild.cache.StoreLocation;
import dev.jbuild.cli.progress.ProgressOutput;
import dev.jbuild.cli.progress.Terminal;
import dev.jbuild.frontend.BuildRequest;
import dev.jbuild.platform.Platform;
import dev.jbuild.progress.Progress;
import dev.jbuild.solver.SolveOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jbuild build}: the options of {@code docker buildx build} that jbuild supports so far. */
final class BuildCommand implements Callable<Integer> {
  CommandSpec spec;
  String context;
  Path file;
  List<String> tags = new ArrayList<>();
  List<String> platforms = new ArrayList<>();
  List<String> buildArgs = new ArrayList<>();
  List<String> labels = new ArrayList<>();
  String target;
  boolean push;
  List<String> outputs = new ArrayList<>();
  List<String> annotations = new ArrayList<>();
  boolean pull;
  Path configFile;
  String progressMode;
  boolean check;
  boolean noCache;
  SolveFlags solveFlags = new SolveFlags();
  boolean quiet;
  Path iidFile;
  Path metadataFile;
  String ociRuntime;
  boolean debug;
  String network;
  List<String> allow = new ArrayList<>();
  List<String> secrets = new ArrayList<>();
  List<String> ssh = new ArrayList<>();
  BuildxFlags buildx = new BuildxFlags();
  AttestationFlags attestationFlags = new AttestationFlags();
  SignFlags signFlags = new SignFlags();
  CaCertsOption caCerts = new CaCertsOption();

  /** {@code build} with a new command object behind it (written in code: see {@link CommandSpecs}). */
  static CommandSpec commandSpec() {
    return new BuildCommand().bind();
  }

  /** Binds a spec to this object's fields (once per object). */
  CommandSpec bind() {
    spec = CommandSpecs.command(this, "build", "Build an image from a Dockerfile, for one or several platforms.");
    spec.usageMessage().sortOptions(false);
    spec.addPositional(CommandSpecs.positional("0", () -> context, v -> context = v).paramLabel("PATH|URL|-")
        .description("The build context: a directory, an http(s) tarball or Dockerfile, a git URL (URL.git#REF:DIR),"
            + " or - (a tar or a Dockerfile on stdin).").build());
    spec.addOption(CommandSpecs.option(Path.class, () -> file, v -> file = v, "-f", "--file").paramLabel("FILE")
        .description("Name of the Dockerfile (default: PATH/Dockerfile; - reads stdin).").build());
    spec.addOption(CommandSpecs.strings(() -> tags, v -> tags = v, "-t", "--tag").paramLabel("NAME")
        .description("Image name and optionally a tag (name:tag); repeatable.").build());
    spec.addOption(CommandSpecs.strings(() -> platforms, v -> platforms = v, "--platform").paramLabel("PLATFORMS")
        .splitRegex(",").description("Target platforms, e.g. linux/amd64,linux/arm64 (default: this host).").build());
    spec.addOption(CommandSpecs.strings(() -> buildArgs, v -> buildArgs = v, "--build-arg").paramLabel("KEY[=VALUE]")
        .description("Build-time variable; without a value it is taken from the environment.").build());
    spec.addOption(CommandSpecs.strings(() -> labels, v -> labels = v, "--label").paramLabel("KEY=VALUE")
        .description("Set a label on the image (overrides the Dockerfile's).").build());
    spec.addOption(CommandSpecs.option(String.class, () -> target, v -> target = v, "--target").paramLabel("STAGE")
        .description("Build this stage instead of the last.").build());
    spec.addOption(CommandSpecs.option(boolean.class, () -> push, v -> push = v, "--push")
        .description("Push the image to the registry (same as --output=type=registry).").build());
    spec.addOption(CommandSpecs.strings(() -> outputs, v -> outputs = v, "-o", "--output").paramLabel("SPEC")
        .description("Output: type=registry | type=image,push=true | type=oci,dest=FILE.tar|DIR,tar=false"
            + " | type=docker,dest=FILE.tar | type=local,dest=DIR | type=tar,dest=FILE; image outputs take"
            + " compression=gzip|zstd|uncompressed, compression-level=N, force-compression=true, oci-mediatypes=false,"
            + " push-by-digest=true, name-canonical=true, annotation[-TYPE].KEY=VALUE").build());
    spec.addOption(CommandSpecs.strings(() -> annotations, v -> annotations = v, "--annotation")
        .paramLabel("[TYPE:]KEY=VALUE").description("Add an annotation to the image; TYPE is index, manifest (default),"
            + " manifest-descriptor or index-descriptor, optionally with [PLATFORM]; repeatable.").build());
    spec.addOption(CommandSpecs.option(boolean.class, () -> pull, v -> pull = v, "--pull")
        .description("Resolve base image tags against the registry again instead of reusing earlier answers.").build());
    spec.addOption(CommandSpecs.option(Path.class, () -> configFile, v -> configFile = v, "--config").paramLabel("FILE")
        .description("Registry settings (buildkitd.toml syntax: [registry.\"host\"] mirrors, http, insecure; default:"
            + " $JBUILD_CONFIG, ~/.config/jbuild/jbuild.toml, /etc/jbuild/jbuild.toml).").build());
    spec.addOption(CommandSpecs.option(String.class, () -> progressMode, v -> progressMode = v, "--progress")
        .paramLabel("MODE").defaultValue("auto")
        .description("Progress output: auto, plain, tty, quiet or rawjson (default: ${DEFAULT-VALUE}).").build());
    spec.addOption(CommandSpecs.option(boolean.class, () -> check, v -> check = v, "--check")
        .description("Run the build checks (lint) only; exit 1 when any warning is found.").build());
    spec.addOption(CommandSpecs.option(boolean.class, () -> noCache, v -> noCache = v, "--no-cache")
        .description("Do not use the cache when building.").build());
    spec.addMixin("solveFlags", solveFlags.mixin());
    spec.addOption(CommandSpecs.option(boolean.class, () -> quiet, v -> quiet = v, "-q", "--quiet")
        .description("Print only the image digest on success.").build());
    spec.addOption(CommandSpecs.option(Path.class, () -> iidFile, v -> iidFile = v, "--iidfile").paramLabel("FILE")
        .description("Write the image digest to the file.").build());
    spec.addOption(CommandSpecs.option(Path.class, () -> metadataFile, v -> metadataFile = v, "--metadata-file")
        .paramLabel("FILE").description("Write build result metadata to the file (JSON).").build());
    spec.addOption(CommandSpecs.option(String.class, () -> ociRuntime, v -> ociRuntime = v, "--oci-runtime")
        .paramLabel("NAME").description("OCI runtime for RUN: runc or crun (default: the first found).").build());
    spec.addOption(CommandSpecs.option(boolean.class, () -> debug, v -> debug = v, "--debug")
        .description("Show stack traces of internal errors.").build());
    spec.addOption(CommandSpecs.option(String.class, () -> network, v -> network = v, "--network").paramLabel("MODE")
        .defaultValue("default").description("Network for RUN steps: default (the host's network), none or host"
            + " (default: ${DEFAULT-VALUE}).").build());
    spec.addOption(CommandSpecs.strings(() -> allow, v -> allow = v, "--allow").paramLabel("ENTITLEMENT").splitRegex(",")
        .description("Grant an entitlement: network.host (RUN --network=host), security.insecure"
            + " (RUN --security=insecure).").build());
    spec.addOption(CommandSpecs.strings(() -> secrets, v -> secrets = v, "--secret").paramLabel("id=ID,src=FILE|env=VAR")
        .description("Secret for RUN --mount=type=secret; never stored in the image or cache. Repeatable.").build());
    spec.addOption(CommandSpecs.strings(() -> ssh, v -> ssh = v, "--ssh").paramLabel("default|ID=SOCKET")
        .description("SSH agent socket for RUN --mount=type=ssh (default: $SSH_AUTH_SOCK). Repeatable.").build());
    spec.addMixin("buildx", buildx.mixin());
    spec.addMixin("attestationFlags", attestationFlags.mixin());
    spec.addMixin("signFlags", signFlags.mixin());
    spec.addMixin("caCerts", caCerts.mixin());
    return CommandSpecs.withStandardHelpOptions(spec);
  }

  @Override
  public Integer call() throws Exception {
    PrintStream err = spec.commandLine().getErr() == null ? System.err : new PrintStream(System.err, true, StandardCharsets.UTF_8);
    PrintStream out = System.out;
    if (!check && RunFlags.needsRootless()) { // lint-only runs mount nothing
      return RunFlags.rerunRootless(err);
    }
    try {
      return build(out, err);
    } catch (UserError e) {
      err.println("ERROR: " + e.getMessage());
      if (debug && e.getCause() != null) {
        e.getCause().printStackTrace(err);
      }
      return 1;
    }
  }

  private int build(PrintStream out, PrintStream err) throws UserError, InterruptedException {
    buildx.check(push, outputs, noCache);
    SolveOptions solveOptions = solveFlags.options(noCache);
    List<Platform> targets = parsePlatforms(platforms);
    Map<String, String> args = parseBuildArgs();
    Map<String, String> labelMap = parsePairs(labels, "--label");
    Optional<Instant> epoch = sourceDateEpoch();
    try (LoadOutput load = LoadOutput.plan(buildx.load, targets.size(), System.getenv())) {
      Outputs outs = Outputs.parse(load == null ? outputs : List.of(load.outputSpec()), push, tags, annotations, epoch);
      dev.jbuild.registry.RegistryConfig registryConfig = RegistrySettings.load(configFile, outs.insecureRegistries());
      try (ContextSource.Prepared sent = ContextSource.prepare(context, file, System.in);
           ProgressOutput progressOutput = progressOutput(progressMode, quiet, err, buildx.cache.explainMisses())) {
        BuildRequest request = new BuildRequest(sent.contextDir(), sent.dockerfile().getFileName().toString(), targets,
            args, Optional.ofNullable(target), labelMap, epoch)
            .withRunOptions(RunFlags.parse(network, allow, secrets, ssh, System.getenv())
                .withLimits(buildx.runLimits.runLimits())
                .withCaCertificates(caCerts.resolve(CaCertsOption.configFile(configFile))));
        return build(sent.dockerfile(), request, solveOptions, load, outs, registryConfig, progressOutput, out, err);
      }
    }
  }

  private int build(Path dockerfile, BuildRequest request, SolveOptions solveOptions, LoadOutput load, Outputs outs,
      dev.jbuild.registry.RegistryConfig registryConfig, ProgressOutput progressOutput, PrintStream out, PrintStream err)
      throws UserError, InterruptedException {
    Progress progress = new Progress(progressOutput.listener());
    request = buildx.frontend.apply(request, noCache);
    BuildRunner runner = new BuildRunner(StoreLocation.resolve(), progress, solveOptions, Optional.ofNullable(ociRuntime),
        progressOutput.warnings(), registryConfig, pull).withCache(buildx.cache.transfer())
        .withGitModes(buildx.cache.gitContextPerms());
    BuildRunner.AttestorFactory attestors = Attestations.factory(
        attestationFlags.effective(System.getenv(), outs.takesInlineAttestations()), request, tags, Instant.now());
    if (check) {
      return runner.check(dockerfile, request.buildArgs(), request.target(), err) == 0 ? 0 : 1;
    }
    Optional<dev.jbuild.signing.Signer> signer = signFlags.signer(System.getenv());
    BuildRunner.Outcome outcome = runner.run(new BuildRunner.Job(dockerfile, request,
        client -> SignFlags.signing(outs.exporters(client), client, signer), attestors));
    AutoPrune.afterBuild(StoreLocation.resolve(), configFile, progressOutput.warnings());
    if (outs.isEmpty()) {
      progressOutput.warnings().accept("No output specified: the build result will only remain in the build cache."
          + " Use --push or -o type=oci,dest=FILE.tar to export it.");
    }
    if (load != null) {
      load.finish(progress);
    }
    ResultFiles.write(iidFile, metadataFile, outcome);
    if (!quiet && !progressMode.equals("quiet") && !progressMode.equals("rawjson")) {
      outcome.emulationReport().ifPresent(progressOutput::epilogue);
    }
    if (quiet) {
      out.println(outcome.rootDigest());
    }
    return 0;
  }

  /** {@code --platform} values (comma lists already split); none means this host. */
  static List<Platform> parsePlatforms(List<String> platforms) throws UserError {
    List<Platform> out = new ArrayList<>();
    for (String p : platforms) {
      if (p.isBlank()) {
        continue;
      }
      try {
        Platform parsed = Platform.parse(p);
        if (!out.contains(parsed)) {
          out.add(parsed);
        }
      } catch (IllegalArgumentException e) {
        throw new UserError("--platform: " + e.getMessage());
      }
    }
    return out.isEmpty() ? List.of(Platform.host()) : out;
  }

  private Map<String, String> parseBuildArgs() throws UserError {
    Map<String, String> out = new LinkedHashMap<>();
    for (String a : buildArgs) {
      int eq = a.indexOf('=');
      if (eq == 0) {
        throw new UserError("--build-arg " + a + ": missing the name before '='");
      }
      if (eq < 0) {
        String fromEnv = System.getenv(a);
        if (fromEnv != null) {
          out.put(a, fromEnv);
        }
      } else {
        out.put(a.substring(0, eq), a.substring(eq + 1));
      }
    }
    return out;
  }

  static Map<String, String> parsePairs(List<String> pairs, String flag) throws UserError {
    Map<String, String> out = new LinkedHashMap<>();
    for (String p : pairs) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new UserError(flag + " " + p + ": expected KEY=VALUE");
      }
      out.put(p.substring(0, eq), p.substring(eq + 1));
    }
    return out;
  }

  static Optional<Instant> sourceDateEpoch() throws UserError {
    String s = System.getenv("SOURCE_DATE_EPOCH");
    if (s == null || s.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(s.trim())));
    } catch (NumberFormatException e) {
      throw new UserError("SOURCE_DATE_EPOCH=" + s + " is not a number of seconds since 1970");
    }
  }

  /** The renderer for {@code --progress}; auto looks at whether stderr is a terminal. */
  static ProgressOutput progressOutput(String progressMode, boolean quiet, PrintStream err, boolean explainMisses)
      throws UserError {
    try {
      return ProgressOutput.open(progressMode, quiet, err, Terminal.ofStderr(System.getenv()), explainMisses);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }


}
