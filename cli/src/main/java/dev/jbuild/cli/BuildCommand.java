package dev.jbuild.cli;

import dev.jbuild.cache.StoreLocation;
import dev.jbuild.cli.progress.PlainRenderer;
import dev.jbuild.cli.progress.RawJsonRenderer;
import dev.jbuild.platform.Platform;
import dev.jbuild.solver.SolveOptions;
import dev.jbuild.frontend.BuildRequest;
import dev.jbuild.solver.progress.Progress;
import dev.jbuild.solver.progress.ProgressListener;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

  @Parameters(index = "0", paramLabel = "PATH", description = "The build context directory.")
  Path context;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Name of the Dockerfile (default: PATH/Dockerfile).")
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
    Path contextDir = context.toAbsolutePath().normalize();
    if (!Files.isDirectory(contextDir)) {
      throw new UserError("unable to prepare context: path \"" + context + "\" not found");
    }
    Path dockerfile = file == null ? contextDir.resolve("Dockerfile") : file.toAbsolutePath().normalize();
    List<Platform> targets = parsePlatforms();
    Map<String, String> args = parseBuildArgs();
    Map<String, String> labelMap = parsePairs(labels, "--label");
    Optional<Instant> epoch = sourceDateEpoch();
    Outputs outs = Outputs.parse(outputs, push, tags, annotations, epoch);
    dev.jbuild.registry.RegistryConfig registryConfig = RegistrySettings.load(configFile, outs.insecureRegistries());

    ProgressListener renderer = renderer(err);
    Progress progress = new Progress(renderer);
    BuildRequest request = new BuildRequest(contextDir, dockerfile.getFileName().toString(), targets, args,
        Optional.ofNullable(target), labelMap, epoch)
        .withRunOptions(RunFlags.parse(network, allow, secrets, ssh, System.getenv())
            .withCaCertificates(caCerts.resolve(CaCertsOption.configFile(configFile))));
    BuildRunner runner = new BuildRunner(StoreLocation.resolve(), progress,
        new SolveOptions(noCache, SolveOptions.defaults().maxParallelProcesses()), Optional.ofNullable(ociRuntime),
        w -> err.println("WARNING: " + w), registryConfig, pull);
    if (check) {
      return runner.check(dockerfile, args, err) == 0 ? 0 : 1;
    }
    BuildRunner.Outcome outcome = runner.run(dockerfile, request, outs::exporters);
    if (outs.isEmpty()) {
      err.println("WARNING: No output specified: the build result will only remain in the build cache."
          + " Use --push or -o type=oci,dest=FILE.tar to export it.");
    }
    ResultFiles.write(iidFile, metadataFile, outcome);
    if (quiet) {
      out.println(outcome.rootDigest());
    }
    return 0;
  }

  private List<Platform> parsePlatforms() throws UserError {
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

  private static Map<String, String> parsePairs(List<String> pairs, String flag) throws UserError {
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

  private static Optional<Instant> sourceDateEpoch() throws UserError {
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

  private ProgressListener renderer(PrintStream err) throws UserError {
    return switch (progressMode) {
      // No tty renderer yet: auto and tty print the plain format, which works in logs and terminals.
      case "auto", "plain", "tty" -> quiet ? ProgressListener.NONE : new PlainRenderer(err);
      case "rawjson" -> new RawJsonRenderer(err);
      case "quiet" -> ProgressListener.NONE;
      default -> throw new UserError("--progress=" + progressMode + ": expected auto, plain, tty, quiet or rawjson");
    };
  }

}
