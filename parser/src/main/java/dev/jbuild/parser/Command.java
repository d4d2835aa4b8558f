package dev.jbuild.parser;

import java.util.List;

/** The command of RUN, CMD, ENTRYPOINT, HEALTHCHECK CMD: exec (JSON) form or shell form. */
public sealed interface Command {
  /** {@code ["a", "b"]}: strings already JSON-decoded, never expanded. */
  record Exec(List<String> args) implements Command {
    public Exec {
      args = List.copyOf(args);
    }
  }

  /**
   * Shell form: the script as the shell will see it, continuation lines joined (the escape
   * character and newline removed, as BuildKit does), comment lines inside it dropped.
   */
  record Shell(String script) implements Command {}
}
