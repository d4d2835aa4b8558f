package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bake} with compose {@code cache_to}/{@code cache_from}: the first bake exports its cache
 * to a local directory, a bake in another, empty store imports it and runs nothing.
 */
class BakeCacheTest {
  private static final String RUN_STEP = "RUN echo built > /built";
  @TempDir static Path work;
  static Path project;

  @BeforeAll
  static void environment() throws Exception {
    Prerequisites.requireOneOf("runc", "runc", "crun");
    project = BusyboxContexts.withRootfs(work.resolve("project"), Platform.LINUX_AMD64, "rootfs");
    Files.writeString(project.resolve("Dockerfile"), "FROM scratch\nCOPY rootfs/ /\n" + RUN_STEP + "\n");
    Path cache = work.resolve("cache");
    Files.writeString(project.resolve("compose.yaml"), String.join("\n",
        "services:",
        "  app:",
        "    build:",
        "      context: .",
        "      cache_from: [\"type=local,src=" + cache + "\"]",
        "      cache_to: [\"type=local,dest=" + cache + ",mode=max\"]",
        "  other:",
        "    build:",
        "      context: .",
        "      cache_from: [\"type=local,src=" + cache + "\"]", ""));
  }

  private static Processes.Result bake(String store) throws Exception {
    Processes.Result r = Cli.jbuild(Files.createDirectories(work.resolve(store)), "bake", "-f",
        project.resolve("compose.yaml").toString(), "--progress=plain");
    Cli.assertNoStackTrace(r);
    r.assertSuccess();
    return r;
  }

  private static String runOutcome(Processes.Result r) {
    Map<String, String> all = PlainProgress.outcomes(r.stderr());
    return all.entrySet().stream().filter(e -> e.getKey().endsWith(RUN_STEP)).map(Map.Entry::getValue)
        .reduce((a, b) -> a + "," + b).orElseThrow(() -> new AssertionError("no " + RUN_STEP + " in:\n" + r.stderr()));
  }

  @Test
  void composeCacheToIsExportedAndCacheFromImportedIntoAnEmptyStore() throws Exception {
    Processes.Result first = bake("store-a");
    assertEquals("DONE", runOutcome(first), "both services share the step: it runs once\n" + first.stderr());
    assertTrue(first.stderr().contains("exporting cache to type=local,dest=" + work.resolve("cache") + " (mode=max)"),
        first.stderr());
    assertTrue(Files.isRegularFile(work.resolve("cache/index.json")), "an OCI layout holds the exported cache");

    Processes.Result second = bake("store-b");
    assertEquals("CACHED", runOutcome(second), second.stderr());
    assertTrue(second.stderr().contains("importing cache manifest from type=local,src=" + work.resolve("cache")),
        second.stderr());
  }
}
