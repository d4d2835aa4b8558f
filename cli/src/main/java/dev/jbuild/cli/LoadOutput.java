package dev.jbuild.cli;

import java.io.IOException;
import dev.jbuild.progress.Progress;
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

  /** Loads the archive as a build step; the daemon's answers ("Loaded image: app:1.0") are its status lines. */
  void finish(Progress progress) throws UserError, InterruptedException {
    try {
      progress.step("loading the image into the Docker daemon", step -> {
        daemon.load(scratch.resolve("image.tar")).forEach(step::status);
        return null;
      });
    } catch (UserError | InterruptedException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    ContextSource.deleteTree(scratch);
  }
}
