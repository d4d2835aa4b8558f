package dev.jbuild.cli;

import dev.jbuild.nativeexec.LibcryptoDigests;
import dev.jbuild.nativeexec.ProcessExit;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The {@code jbuild} command line. Errors are one paragraph for people; stack traces only with --debug.
 * The root and {@code build} are picocli specs written in code ({@link CommandSpecs}); the other
 * subcommands are annotated classes.
 */
public final class Main implements Runnable {
  /**
   * The subcommands by name, in the order help lists them: each a class for picocli to reflect on, or
   * a spec. Given here rather than in an annotation: picocli reflects every annotation of every
   * command it is handed (≈ 60 ms for all of them), so a command line that names one known
   * subcommand gets only that one.
   */
  static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> m = new LinkedHashMap<>();
    m.put("build", BuildCommand::commandSpec);
    m.put("bake", BakeCommand::commandSpec);
    m.put("du", () -> DuCommand.class);
    m.put("prune", () -> PruneCommand.class);
    m.put("imagetools", () -> ImagetoolsCommand.class);
    m.put("login", () -> LoginCommand.class);
    m.put("logout", () -> LogoutCommand.class);
    m.put("version", () -> VersionCommand.class);
    m.put("completion", () -> CompletionCommand.class); // needs the whole tree: never alone
    m.put("debug", () -> DebugCommand.class);
    m.put("setup", () -> SetupCommand.class);
    m.put("attestations", () -> AttestationsCommand.class);
    m.put("keygen", () -> KeygenCommand.class);
    m.put("verify", () -> VerifyCommand.class);
    m.put("help", () -> CommandLine.HelpCommand.class); // lists its siblings: never alone
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Flushes picocli's writers of {@code cli} and its subcommands (each command line has its own). */
  private static void flush(CommandLine cli) {
    cli.getOut().flush();
    cli.getErr().flush();
    cli.getSubcommands().values().forEach(Main::flush);
  }

  /** The command line for {@code args}: all subcommands, or only the one {@code args} starts with. */
  static CommandLine commandLine(String[] args) {
    Main main = new Main();
    main.spec = CommandSpecs.withStandardHelpOptions(CommandSpecs.command(main, "jbuild",
        "A daemonless Dockerfile build engine: multi-platform builds, OCI images.").versionProvider(new VersionCommand()));
    CommandLine cli = new CommandLine(main.spec);
    String first = args.length > 0 ? args[0] : "";
    if (SUBCOMMANDS.containsKey(first) && !first.equals("completion") && !first.equals("help")) {
      cli.addSubcommand(first, SUBCOMMANDS.get(first).get());
    } else {
      SUBCOMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
    }
    return cli;
  }

  private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: jbuild build --help)");
  }

  public static void main(String[] args) {
    ProcessExit.exit(run(args));
  }

  static int run(String[] args) {
    LibcryptoDigests.install(); // SHA-256 at the CPU's speed under C1 (see the class)
    // picocli looks for groovy.lang.Closure when it starts: a miss opens every jar of the class path (≈ 20 ms)
    System.setProperty("picocli.disable.closures", "true");
    CommandLine cli = commandLine(args);
    boolean debug = java.util.Arrays.asList(args).contains("--debug");
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      err.println("ERROR: internal error: " + e + (debug ? "" : " (run with --debug to see where)"));
      if (debug) {
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    });
    cli.setParameterExceptionHandler((e, parsedArgs) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println("ERROR: " + UsageMessages.of(e));
      err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
      err.flush();
      return 1; // as buildx: misuse of the command line exits 1
    });
    int code = cli.execute(args);
    flush(cli); // ProcessExit may end the process with _exit, which flushes nothing
    return code;
  }
}
