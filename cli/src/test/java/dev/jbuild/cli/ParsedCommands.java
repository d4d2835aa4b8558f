package dev.jbuild.cli;

import picocli.CommandLine;

/** Command objects filled from a command line as picocli fills them when jbuild runs (for tests). */
final class ParsedCommands {
  private ParsedCommands() {}

  static BuildCommand build(String... args) {
    BuildCommand b = new BuildCommand();
    new CommandLine(b.bind()).parseArgs(args);
    return b;
  }
}
