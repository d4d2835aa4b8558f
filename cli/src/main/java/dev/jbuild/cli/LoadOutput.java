package dev.jbuild.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code --load} for one build: checked before the build (daemon reachable, one platform), then a
 * Docker archive written to a scratch file by the docker exporter and sent to the daemon.
 */
final class LoadOutput implements AutoCloseable {
  private final DockerLoad daemon;
  private final Path scratch;

  private LoadOutput(DockerLoad daemon, Path scratch) {
    this.daemon = daemon;
    this.scratch = scratch;
  }

  /** Null when --load is not asked for. */
  static LoadOutput plan(boolean load, int platforms, Map<String, String> env) throws UserError {
    if (!load) {
      return null;
    }
    DockerLoad.requireSinglePlatform(platforms);
    DockerLoad daemon = DockerLoad.fromEnvironment(env);
    try {
      return new LoadOutput(daemon, Files.createTempDirectory("jbuild-load-"));
    } catch (IOException e) {
      throw new UserError("--load: cannot create a scratch directory: " + e.getMessage(), e);
    }
  }

  /** The {@code --output} that writes what will be loaded. */
  String outputSpec() {
    return "type=docker,dest=" + scratch.resolve("image.tar");
  }

  void finish(PrintStream err) throws UserError {
    for (String line : daemon.load(scratch.resolve("image.tar"))) {
      err.println(line);
    }
  }

  @Override
  public void close() {
    ContextSource.deleteTree(scratch);
  }
}
