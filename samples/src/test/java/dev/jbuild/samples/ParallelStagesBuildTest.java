package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two independent stages merged by COPY --from, through the real CLI: their RUN steps run at the
 * same time (their progress events overlap), unless {@code --max-parallelism 1} allows one process.
 */
class ParallelStagesBuildTest {
  @TempDir static Path work;
  static Path context;

  @BeforeAll
  static void environment() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireOneOf("runc", "runc", "crun");
    context = BusyboxContexts.withRootfs(work.resolve("ctx"), Platform.LINUX_AMD64, "rootfs");
  }

  private static String dockerfile(int seconds) {
    return """
        FROM scratch AS base
        COPY rootfs/ /

        FROM base AS a
        RUN sleep %1$d && echo a > /a

        FROM base AS b
        RUN sleep %1$d && echo b > /b

        FROM base
        COPY --from=a /a /a
        COPY --from=b /b /b
        """.formatted(seconds);
  }

  /** A step's progress: its vertex number and where it started and ended in the event stream. */
  private record Span(int vertex, int started, int ended) {
    boolean overlaps(Span o) {
      return started < o.ended && o.started < ended;
    }
  }

  private static Span span(List<JsonNode> events, String name) {
    int vertex = -1;
    int started = -1;
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      if (e.get("type").asText().equals("started") && e.get("name").asText().equals(name)) {
        vertex = e.get("vertex").asInt();
        started = i;
      } else if (vertex >= 0 && e.get("vertex").asInt() == vertex && e.get("type").asText().equals("completed")) {
        return new Span(vertex, started, i);
      }
    }
    throw new AssertionError("no completed step \"" + name + "\" in " + events);
  }

  private static Processes.Result jbuild(Path store, Path out, String... flags) {
    List<String> args = new ArrayList<>(List.of("build", "--progress=rawjson", "-o", "type=local,dest=" + out));
    args.addAll(List.of(flags));
    args.add(context.toString());
    return Cli.jbuild(store, args.toArray(String[]::new));
  }

  private static List<JsonNode> events(Processes.Result r) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : r.stderr().split("\n")) {
      if (line.startsWith("{")) {
        events.add(json.readTree(line));
      }
    }
    return events;
  }

  private static List<JsonNode> build(Path store, Path out, String... flags) throws Exception {
    List<JsonNode> events = events(jbuild(store, out, flags).assertSuccess());
    assertEquals("a\n", Files.readString(out.resolve("a")));
    assertEquals("b\n", Files.readString(out.resolve("b")));
    return events;
  }

  @Test
  void independentStagesRunTheirStepsConcurrently() throws Exception {
    Files.writeString(context.resolve("Dockerfile"), dockerfile(3));
    List<JsonNode> events = build(work.resolve("store-parallel"), work.resolve("out-parallel"));
    Span a = span(events, "[a 2/2] RUN sleep 3 && echo a > /a");
    Span b = span(events, "[b 2/2] RUN sleep 3 && echo b > /b");
    assertTrue(a.overlaps(b), "both RUN steps started before either completed: " + events);
  }

  @Test
  void maxParallelismOneRunsOneProcessAtATime() throws Exception {
    Files.writeString(context.resolve("Dockerfile"), dockerfile(1));
    List<JsonNode> events = build(work.resolve("store-serial"), work.resolve("out-serial"), "--max-parallelism", "1");
    Span a = span(events, "[a 2/2] RUN sleep 1 && echo a > /a");
    Span b = span(events, "[b 2/2] RUN sleep 1 && echo b > /b");
    assertTrue(!a.overlaps(b), "one RUN step after the other: " + events);
  }

  @Test
  void aFailingStageCancelsTheOtherAndIsTheOneErrorReported() throws Exception {
    Files.writeString(context.resolve("Dockerfile"), """
        FROM scratch AS base
        COPY rootfs/ /

        FROM base AS a
        RUN sleep 6543 && echo a > /a

        FROM base AS b
        RUN sleep 1; echo boom; exit 3

        FROM base
        COPY --from=a /a /a
        COPY --from=b /b /b
        """);
    Path store = work.resolve("store-failing");
    Processes.Result r = jbuild(store, work.resolve("out-failing"));

    assertEquals(1, r.exitCode(), r.describe("ran"));
    Cli.assertNoStackTrace(r);
    String error = r.stderr().lines().filter(l -> l.startsWith("ERROR: ")).findFirst().orElseThrow();
    assertEquals("ERROR: Dockerfile:8:1: RUN sleep 1; echo boom; exit 3: process \"/bin/sh -c sleep 1; echo boom; exit 3\""
        + " did not complete successfully: exit code: 3", error);
    List<JsonNode> events = events(r);
    List<String> outcomes = events.stream().map(e -> e.get("type").asText())
        .filter(t -> t.equals("failed") || t.equals("canceled")).toList();
    assertEquals(List.of("failed", "canceled"), outcomes, "one error, the other step canceled: " + events);
    assertTrue(Files.notExists(work.resolve("out-failing")), "no half-written output");
    for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
      assertTrue(!line.contains(store.toString()), "left mounted: " + line);
    }
    assertEquals(List.of(), Processes.runningWithArgs("sleep", "6543"), "the canceled step's process is gone");
  }
}
