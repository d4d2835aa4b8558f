package dev.jbuild.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jbuild imagetools}: work on images in a registry without building, as buildx's imagetools. */
@Command(name = "imagetools", mixinStandardHelpOptions = true,
    description = "Commands to work on images in a registry.",
    subcommands = {ImagetoolsCreate.class, ImagetoolsInspect.class})
final class ImagetoolsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command (create or inspect)");
  }
}
