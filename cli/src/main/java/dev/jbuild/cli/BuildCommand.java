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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jbuild build}: the options of {@code docker buildx build} that jbuild supports so far. */
@Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Build an image from a Dockerfile, for one or several platforms.")
final class BuildCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH|URL|-", description = "The build context: a directory, an http(s)"
      + " tarball or Dockerfile, a git URL (URL.git#REF:DIR), or - (a tar or a Dockerfile on stdin).")
  String context;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Name of the Dockerfile (default: PATH/Dockerfile; - reads stdin).")
  Path file;

  @Option(names = {"-t", "--tag"}, paramLabel = "NAME", description = "Image name and optionally a tag (name:tag); repeatable.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--platform", paramLabel = "PLATFORMS", split = ",",
      description = "Target platforms, e.g. linux/amd64,linux/arm64 (default: this host).")
  List<String> platforms = new ArrayList<>();

  @Option(names = "--build-arg", paramLabel = "KEY[=VALUE]", description = "Build-time variable; without a value it is taken from the environment.")
  List<String> buildArgs = new ArrayList<>();

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Set a label on the image (overrides the Dockerfile's).")
  List<String> labels = new ArrayList<>();

  @Option(names = "--target", paramLabel = "STAGE", description = "Build this stage instead of the last.")
  String target;

  @Option(names = "--push", description = "Push the image to the registry (same as --output=type=registry).")
  boolean push;

  @Option(names = {"-o", "--output"}, paramLabel = "SPEC", description = "Output: type=registry | type=image,push=true"
      + " | type=oci,dest=FILE.tar|DIR,tar=false | type=docker,dest=FILE.tar | type=local,dest=DIR | type=tar,dest=FILE;"
      + " image outputs take compression=gzip|zstd|uncompressed, compression-level=N, force-compression=true,"
      + " oci-mediatypes=false, push-by-digest=true, name-canonical=true, annotation[-TYPE].KEY=VALUE")
  List<String> outputs = new ArrayList<>();

  @Option(names = "--annotation", paramLabel = "[TYPE:]KEY=VALUE", description = "Add an annotation to the image;"
      + " TYPE is index, manifest (default), manifest-descriptor or index-descriptor, optionally with [PLATFORM]; repeatable.")
  List<String> annotations = new ArrayList<>();

  @Option(names = "--pull", description = "Resolve base image tags against the registry again instead of reusing earlier answers.")
  boolean pull;

  @Option(names = "--config", paramLabel = "FILE", description = "Registry settings (buildkitd.toml syntax: [registry.\"host\"]"
      + " mirrors, http, insecure; default: $JBUILD_CONFIG, ~/.config/jbuild/jbuild.toml, /etc/jbuild/jbuild.toml).")
  Path configFile;

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
      description = "Progress output: auto, plain, tty, quiet or rawjson (default: ${DEFAULT-VALUE}).")
  String progressMode;

  @Option(names = "--check", description = "Run the build checks (lint) only; exit 1 when any warning is found.")
  boolean check;

  @Option(names = "--no-cache", description = "Do not use the cache when building.")
  boolean noCache;

  @picocli.CommandLine.Mixin SolveFlags solveFlags = new SolveFlags();

  @Option(names = {"-q", "--quiet"}, description = "Print only the image digest on success.")
  boolean quiet;

  @Option(names = "--iidfile", paramLabel = "FILE", description = "Write the image digest to the file.")
  Path iidFile;

  @Option(names = "--metadata-file", paramLabel = "FILE", description = "Write build result metadata to the file (JSON).")
  Path metadataFile;

  @Option(names = "--oci-runtime", paramLabel = "NAME", description = "OCI runtime for RUN: runc or crun (default: the first found).")
  String ociRuntime;

  @Option(names = "--debug", description = "Show stack traces of internal errors.")
  boolean debug;

  @Option(names = "--network", paramLabel = "MODE", defaultValue = "default",
      description = "Network for RUN steps: default (the host's network), none or host (default: ${DEFAULT-VALUE}).")
  String network;

  @Option(names = "--allow", paramLabel = "ENTITLEMENT", split = ",",
      description = "Grant an entitlement: network.host (RUN --network=host), security.insecure (RUN --security=insecure).")
  List<String> allow = new ArrayList<>();

  @Option(names = "--secret", paramLabel = "id=ID,src=FILE|env=VAR",
      description = "Secret for RUN --mount=type=secret; never stored in the image or cache. Repeatable.")
  List<String> secrets = new ArrayList<>();

  @Option(names = "--ssh", paramLabel = "default|ID=SOCKET",
      description = "SSH agent socket for RUN --mount=type=ssh (default: $SSH_AUTH_SOCK). Repeatable.")
  List<String> ssh = new ArrayList<>();

  @picocli.CommandLine.Mixin BuildxFlags buildx = new BuildxFlags();
  @picocli.CommandLine.Mixin AttestationFlags attestationFlags = new AttestationFlags();
  @picocli.CommandLine.Mixin SignFlags signFlags = new SignFlags();
  @picocli.CommandLine.Mixin CaCertsOption caCerts = new CaCertsOption();

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
