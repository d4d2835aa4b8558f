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

  /** Asserts that output meant for people carries no Java stack trace. */
  static void assertNoStackTrace(Processes.Result r) {
    for (String s : List.of(r.stdout(), r.stderr())) {
      if (s.contains("\tat ") || s.contains("Exception in thread") || s.matches("(?s).*\\bat dev\\.jbuild\\..*")) {
        throw new AssertionError("a stack trace was printed:\n" + s);
      }
    }
  }
}
