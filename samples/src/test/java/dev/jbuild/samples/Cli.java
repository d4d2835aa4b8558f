package dev.jbuild.samples;

import dev.jbuild.testkit.Processes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the jbuild CLI in its own JVM, as a user would, with a given store. */
final class Cli {
  private Cli() {}

  static Processes.Result jbuild(Path store, String... args) {
    return jbuild(store, Map.of(), args);
  }

  static Processes.Result jbuild(Path store, Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.jbuild.cli.Main"));
    cmd.addAll(List.of(args));
    Map<String, String> e = new java.util.HashMap<>(env);
    e.put("JBUILD_ROOT", store.toString());
    return Processes.run(cmd, null, e, 900);
  }

  /** Like {@link #jbuild(Path, String...)} with standard input read from a file (null: empty). */
  static Processes.Result jbuildWithStdin(Path store, Path stdin, String... args) {
    return jbuildWithStdin(store, Map.of(), stdin, args);
  }

  static Processes.Result jbuildWithStdin(Path store, Map<String, String> env, Path stdin, String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.jbuild.cli.Main"));
    cmd.addAll(List.of(args));
    try {
      Path out = java.nio.file.Files.createTempFile("jbuild", ".out");
      Path err = java.nio.file.Files.createTempFile("jbuild", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                : ProcessBuilder.Redirect.from(stdin.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("JBUILD_ROOT", store.toString());
        Process p = pb.start();
        if (!p.waitFor(900, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(String.join(" ", args) + " did not finish within 900s");
        }
        return new Processes.Result(cmd, p.exitValue(), java.nio.file.Files.readString(out),
            java.nio.file.Files.readString(err));
      } finally {
        java.nio.file.Files.deleteIfExists(out);
        java.nio.file.Files.deleteIfExists(err);
      }
    } catch (java.io.IOException e) {
      throw new AssertionError("cannot run jbuild: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Asserts that output meant for people carries no Java stack trace. */
  static void assertNoStackTrace(Processes.Result r) {
    for (String s : List.of(r.stdout(), r.stderr())) {
      if (s.contains("\tat ") || s.contains("Exception in thread") || s.matches("(?s).*\\bat dev\\.jbuild\\..*")) {
        throw new AssertionError("a stack trace was printed:\n" + s);
      }
    }
  }
}
