package dev.jbuild.cli;

import dev.jbuild.nativeexec.LibcryptoDigests;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jbuild} command line. Errors are one paragraph for people; stack traces only with --debug. */
@Command(name = "jbuild", mixinStandardHelpOptions = true, versionProvider = VersionCommand.class,
    description = "A daemonless Dockerfile build engine: multi-platform builds, OCI images.",
    subcommands = {BuildCommand.class, BakeCommand.class, DuCommand.class, PruneCommand.class, ImagetoolsCommand.class,
        LoginCommand.class, LogoutCommand.class, VersionCommand.class, CompletionCommand.class, DebugCommand.class,
        SetupCommand.class, AttestationsCommand.class, KeygenCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: jbuild build --help)");
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    LibcryptoDigests.install(); // SHA-256 at the CPU's speed under C1 (see the class)
    CommandLine cli = new CommandLine(new Main());
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
    return cli.execute(args);
  }
}
