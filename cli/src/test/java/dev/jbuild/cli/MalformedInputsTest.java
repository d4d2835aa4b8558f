package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.MainRuns.Run;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * A table of malformed inputs — Dockerfiles, command-line flags, config files, compose and bake
 * files, build-arg names, platform strings, image references, keys — each run through the real CLI
 * entry point: a clear message naming the place or flag, a non-zero exit, never a stack trace, and
 * nothing built. The rows are data ({@code malformed-inputs.yaml}); this class is the one runner.
 * Nothing here needs a registry or a runtime: every case fails before any step would run.
 */
class MalformedInputsTest {
  @TempDir Path dir;

  /**
   * One malformed input.
   *
   * @param args the command line; {@code CTX} is the context, {@code DIR} the temp dir
   * @param files written into the context before the run (name to content)
   * @param expected a fragment of the error the user must see after {@code ERROR: }
   */
  record Case(String name, List<String> args, Map<String, String> files, String expected) {
    @SuppressWarnings("unchecked")
    static Case of(Map<String, Object> row) {
      Object args = row.get("args");
      return new Case((String) row.get("name"),
          args instanceof List<?> l ? (List<String>) l : List.of(((String) args).split(" ")),
          (Map<String, String>) row.getOrDefault("files", Map.of()), (String) row.get("error"));
    }
  }

  static List<Case> table() throws IOException {
    try (InputStream in = MalformedInputsTest.class.getResourceAsStream("/malformed-inputs.yaml")) {
      List<Map<String, Object>> rows = new Yaml().load(in);
      return rows.stream().map(Case::of).toList();
    }
  }

  private Run run(String... args) {
    return MainRuns.run(args);
  }

  @TestFactory
  Stream<DynamicTest> eachIsAClearErrorWithoutAStackTrace() throws Exception {
    List<Case> table = table();
    assertTrue(table.size() >= 50, table.size() + " cases");
    return table.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Path ctx = Files.createTempDirectory(dir, "ctx");
      for (Map.Entry<String, String> f : c.files().entrySet()) {
        Files.writeString(ctx.resolve(f.getKey()), f.getValue());
      }
      String[] argv = c.args().stream().map(a -> a.replace("CTX", ctx.toString()).replace("DIR", dir.toString()))
          .toArray(String[]::new);
      Run r = run(argv);
      String all = r.out() + r.err();
      assertEquals(1, r.code(), all);
      assertTrue(r.err().startsWith("ERROR: ") || r.err().contains("\nERROR: "), all);
      String expected = "ERROR: " + c.expected().replace("CTX", ctx.toString()).replace("DIR", dir.toString());
      assertTrue(r.err().contains(expected), "expected \"" + expected + "\" in:\n" + all);
      assertFalse(all.contains("\tat ") || all.contains("Exception") || all.contains("internal error"), all);
      try (var s = Files.list(ctx)) {
        assertEquals(c.files().size(), s.count(), "nothing written into the context");
      }
    }));
  }
}
