package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --progress=auto} in a real terminal: tmux runs the build in a 100x30 pane and
 * {@code capture-pane} takes what a person sees — while a RUN step prints (its timer, its last six
 * lines, the finished step marked DONE) and at the end (FINISHED, every step DONE, the warnings
 * summary), then a cached rebuild (CACHED). Outside a terminal, auto prints the plain format.
 */
class TtyProgressTest {
  private static final Pattern HEADER = Pattern.compile("\\[\\+] Building \\d+\\.\\ds \\(\\d+/\\d+\\)");
  @TempDir static Path work;
  static Path context;
  static Path store;

  @BeforeAll
  static void environment() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
    Prerequisites.requireProgram("tmux", "tmux");
    store = Files.createDirectories(work.resolve("store"));
    context = BusyboxContexts.withRootfs(work.resolve("ctx"), Platform.host(), "rootfs");
    Files.writeString(context.resolve("Dockerfile"), String.join("\n",
        "FROM scratch",
        "COPY rootfs/ /",
        "RUN echo prepared > /p",
        "RUN for i in 1 2 3 4 5 6 7 8 9; do echo step-line-$i; sleep 0.3; done; sleep 4",
        "CMD echo hi", ""));
  }

  /** A tmux server of its own (-L), so nothing else on the machine is touched. */
  private record Pane(String socket) implements AutoCloseable {
    static Pane start(Path script) {
      String socket = "jbuild-tty-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
      Processes.run(List.of("tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "build", "-x", "100", "-y", "30",
          "bash " + script), null, Map.of(), 30).assertSuccess();
      return new Pane(socket);
    }

    String screen() {
      return Processes.run(List.of("tmux", "-L", socket, "capture-pane", "-p", "-t", "build"), null, Map.of(), 30)
          .assertSuccess().stdout();
    }

    String awaitScreen(Predicate<String> shown, int seconds) throws InterruptedException {
      long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      String s = screen();
      while (!shown.test(s)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the terminal never showed what was expected; it shows:\n" + s);
        }
        Thread.sleep(100);
        s = screen();
      }
      return s;
    }

    @Override
    public void close() {
      Processes.run(List.of("tmux", "-L", socket, "kill-server"), null, Map.of(), 30);
    }
  }

  private static Path script(String name) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path script = work.resolve(name + ".sh");
    Files.writeString(script, String.join("\n",
        "export JBUILD_ROOT='" + store + "'",
        "'" + java + "' -XX:+UseSerialGC -cp '" + System.getProperty("java.class.path") + "' dev.jbuild.cli.Main build"
            + " --build-arg UNUSED=1 -o type=oci,dest='" + work.resolve(name + ".tar") + "' '" + context + "'",
        "echo EXIT=$?",
        "sleep 600", ""));
    return script;
  }

  private static List<String> lines(String screen) {
    return Arrays.stream(screen.split("\n")).map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
  }

  @Test
  void aPersonSeesTheRunningStepsAndTheSummary() throws Exception {
    try (Pane pane = Pane.start(script("first"))) {
      String running = pane.awaitScreen(s -> s.contains("step-line-9"), 300);
      List<String> live = lines(running);
      assertTrue(HEADER.matcher(live.get(0)).matches(), running);
      assertFalse(live.get(0).contains("FINISHED"), running);
      assertTrue(live.stream().anyMatch(l -> l.matches(" => \\[.*] RUN echo prepared > /p +DONE \\d+\\.\\ds")), running);
      assertTrue(live.stream().anyMatch(l -> l.matches(" => \\[.*] RUN for i in 1 2 3 4 5 6 7 8 9; do echo .* \\d+\\.\\ds")), running);
      // the last six lines of the running step, oldest first
      assertEquals(List.of(" => => # step-line-4", " => => # step-line-5", " => => # step-line-6", " => => # step-line-7",
          " => => # step-line-8", " => => # step-line-9"), live.stream().filter(l -> l.startsWith(" => => # ")).toList(), running);

      // the timer of the running step moves on while nothing is printed
      String later = pane.awaitScreen(s -> !s.equals(running) && s.contains("step-line-9") && !s.contains("EXIT="), 10);
      assertTrue(later.contains("step-line-9"), later);

      String end = pane.awaitScreen(s -> s.contains("EXIT="), 300);
      List<String> finished = lines(end);
      assertTrue(finished.contains("EXIT=0"), end);
      String header = finished.stream().filter(l -> l.startsWith("[+] Building")).findFirst().orElseThrow();
      assertTrue(header.matches("\\[\\+] Building \\d+\\.\\ds \\((\\d+)/\\1\\) FINISHED"), end);
      assertFalse(end.contains(" => => #"), end);
      List<String> steps = finished.stream().filter(l -> l.startsWith(" => ")).toList();
      assertTrue(steps.size() >= 4, end);
      for (String step : steps) {
        assertTrue(step.matches(" => .* DONE \\d+\\.\\ds"), "not marked DONE: " + step + "\n" + end);
      }
      int summary = finished.indexOf(" 2 warnings found:");
      assertTrue(summary > 0, end);
      // one line per warning (the lint one wraps at the pane's 100 columns)
      assertEquals(" - Dockerfile:5:1: JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended beh",
          finished.get(summary + 1), end);
      assertEquals("avior related to OS signals", finished.get(summary + 2), end);
      assertEquals(" - one or more build-args [UNUSED] were not consumed", finished.get(summary + 3), end);
      assertEquals("EXIT=0", finished.get(summary + 4), end);
    }

    try (Pane pane = Pane.start(script("again"))) {
      String end = pane.awaitScreen(s -> s.contains("EXIT="), 300);
      List<String> finished = lines(end);
      assertTrue(finished.contains("EXIT=0"), end);
      assertTrue(finished.stream().anyMatch(l -> l.matches(" => CACHED \\[.*] RUN for i in 1 2 3 .* 0\\.0s")), end);
      assertTrue(finished.stream().anyMatch(l -> l.matches(" => CACHED \\[.*] RUN echo prepared > /p +0\\.0s")), end);
    }
  }

  @Test
  void autoIsPlainOutsideATerminal() throws Exception {
    Path ctx = Files.createDirectories(work.resolve("plain"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nLABEL a=b\n");
    Processes.Result r = Cli.jbuild(store, "build", "-o", "type=oci,dest=" + work.resolve("plain.tar"), ctx.toString());
    r.assertSuccess();
    assertTrue(r.stderr().startsWith("#1 "), r.stderr());
    assertFalse(r.stderr().contains("\u001b["), r.stderr());
    assertFalse(r.stderr().contains("[+] Building"), r.stderr());
  }
}
