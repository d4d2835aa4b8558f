package dev.jbuild.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs external programs (skopeo, umoci, runc, the jbuild CLI) from tests. */
public final class Processes {
  private Processes() {}

  /** The outcome of a finished process; stdout and stderr are kept apart. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** Fails with the command and its output unless it exited 0. */
    public Result assertSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(describe("failed"));
      }
      return this;
    }

    public String describe(String what) {
      return String.join(" ", command) + " " + what + " with exit code " + exitCode
          + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
  }

  public static Result run(List<String> command) {
    return run(command, null, Map.of(), 600);
  }

  public static Result run(List<String> command, Path dir, Map<String, String> env, long timeoutSeconds) {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().putAll(env);
    try {
      Path out = java.nio.file.Files.createTempFile("proc", ".out");
      Path err = java.nio.file.Files.createTempFile("proc", ".err");
      try {
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + "s");
        }
        return new Result(new ArrayList<>(command), p.exitValue(),
            java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
            java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        java.nio.file.Files.deleteIfExists(out);
        java.nio.file.Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + String.join(" ", command), e);
    }
  }

  /**
   * Live processes (any PID namespace, read from /proc) whose arguments include {@code args} in
   * order, as "PID: command line": for tests that check a canceled step left nothing running.
   */
  public static List<String> runningWithArgs(String... args) {
    String wanted = String.join("\0", args) + "\0";
    List<String> found = new ArrayList<>();
    try (java.util.stream.Stream<Path> procs = java.nio.file.Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        if (!p.getFileName().toString().matches("\\d+")) {
          continue;
        }
        try {
          String cmd = new String(java.nio.file.Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (("\0" + cmd).contains("\0" + wanted)) {
            found.add(p.getFileName() + ": " + cmd.replace('\0', ' ').strip());
          }
        } catch (IOException gone) {
          // exited meanwhile
        }
      }
    } catch (IOException e) {
      throw new AssertionError("cannot list /proc: " + e.getMessage(), e);
    }
    return found;
  }
}
