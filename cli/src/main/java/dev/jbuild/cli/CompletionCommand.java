package dev.jbuild.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jbuild completion bash|zsh}: the shell completion script, generated from the commands themselves. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = "Print the shell completion script: source <(jbuild completion bash), or install it as a file.")
final class CompletionCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh")
  String shell;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    String script = AutoComplete.bash("jbuild", spec.root().commandLine());
    switch (shell) {
      case "bash" -> System.out.print(script);
      // picocli's script serves zsh through its bash-completion emulation
      case "zsh" -> System.out.print("#compdef jbuild\nautoload -U +X compinit && compinit\n"
          + "autoload -U +X bashcompinit && bashcompinit\n" + script);
      default -> throw new CommandLine.ParameterException(spec.commandLine(), "completion " + shell
          + ": unsupported shell (expected bash or zsh)");
    }
  }
}
