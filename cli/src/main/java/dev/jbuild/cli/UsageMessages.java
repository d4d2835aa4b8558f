package dev.jbuild.cli;

import java.util.List;
import picocli.CommandLine;

/** Command-line misuse in buildx's words ({@code unknown flag: --x}, {@code requires exactly 1 argument}). */
final class UsageMessages {
  private UsageMessages() {}

  static String of(CommandLine.ParameterException e) {
    String command = "\"" + e.getCommandLine().getCommandSpec().qualifiedName() + "\"";
    if (e instanceof CommandLine.UnmatchedArgumentException u) {
      List<String> unmatched = u.getUnmatched();
      String first = unmatched.isEmpty() ? "" : unmatched.get(0);
      if (first.startsWith("-") && !first.equals("-")) {
        String flag = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
        return (flag.startsWith("--") ? "unknown flag: " : "unknown shorthand flag: ") + flag;
      }
      return command + " got an unexpected argument \"" + first + "\"" + arityHint(e.getCommandLine());
    }
    if (e instanceof CommandLine.MissingParameterException m && m.getMissing().stream().allMatch(a -> !a.isOption())) {
      return command + " is missing an argument" + arityHint(e.getCommandLine());
    }
    if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty() && m.getMissing().get(0).isOption()) {
      return "flag needs an argument: " + ((CommandLine.Model.OptionSpec) m.getMissing().get(0)).longestName();
    }
    return e.getMessage();
  }

  /** buildx's "requires exactly 1 argument" for commands with a fixed number of positional arguments. */
  private static String arityHint(CommandLine cmd) {
    List<CommandLine.Model.PositionalParamSpec> params = cmd.getCommandSpec().positionalParameters();
    if (params.size() == 1 && params.get(0).arity().min == 1 && params.get(0).arity().max == 1) {
      return ": requires exactly 1 argument";
    }
    return "";
  }
}
