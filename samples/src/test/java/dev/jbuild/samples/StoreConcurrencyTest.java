package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several jbuild processes on one store, and builds killed with SIGKILL at random moments: the
 * store stays correct (the same digests as serial builds in a clean store, nothing corrupt found by
 * {@code prune --verify}) and leftovers are cleaned. Counts are chosen so that the class takes about
 * three minutes on an idle 2-core machine (5.5 minutes measured on one with load average 17): 2 processes x {@value #BUILDS_PER_PROCESS} builds with
 * {@value #VARIANTS} distinct variants (so identical work does run concurrently) and prunes in
 * between; {@value #KILLS} killed builds.
 */
@ExtendWith(RegistryExtension.class)
class StoreConcurrencyTest {
  static final int BUILDS_PER_PROCESS = 20;
  static final int VARIANTS = 5;
  static final int KILLS = 30;
  private static final Map<String, String> EPOCH = Map.of("SOURCE_DATE_EPOCH", "1700000000");
  @TempDir static Path work;
  static Path context;

  @BeforeAll
  static void environment() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
    context = Files.createDirectories(work.resolve("ctx"));
    Files.writeString(context.resolve("data.txt"), "some data\n".repeat(1000));
    Files.writeString(context.resolve("Dockerfile"), String.join("\n",
        "ARG BASE",
        "FROM $BASE",
        "ARG N",
        "COPY data.txt /data.txt",
        "RUN echo \"variant $N\" > /n && cat /data.txt >> /n",
        "RUN --mount=type=cache,target=/cache cp /n /cache/n-$N && sed -e 's/data/DATA/' /n > /m",
        ""));
  }

  private static Processes.Result build(TestRegistry registry, Path store, int variant, String iid) {
    return Cli.jbuild(store, EPOCH, "build", "--progress=plain", "--build-arg", "BASE=" + registry.busybox(),
        "--build-arg", "N=" + variant, "--iidfile", iid, context.toString());
  }

  private static Map<Integer, String> serialDigests(TestRegistry registry) throws Exception {
    Path store = Files.createDirectories(work.resolve("serial"));
    Map<Integer, String> out = new HashMap<>();
    for (int v = 0; v < VARIANTS; v++) {
      Path iid = work.resolve("serial-" + v);
      build(registry, store, v, iid.toString()).assertSuccess();
      out.put(v, Files.readString(iid).strip());
    }
    return out;
  }

  @Test
  void twoProcessesBuildOnOneStoreWhilePrunesRun(TestRegistry registry) throws Exception {
    Map<Integer, String> expected = serialDigests(registry);
    Path store = Files.createDirectories(work.resolve("shared"));
    Map<String, String> results = new ConcurrentHashMap<>();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean building = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> builders = new ArrayList<>();
      for (int p = 0; p < 2; p++) {
        int proc = p;
        builders.add(pool.submit(() -> {
          for (int i = 0; i < BUILDS_PER_PROCESS; i++) {
            int variant = i % VARIANTS; // both processes build the same variant at about the same time
            Path iid = work.resolve("p" + proc + "-" + i);
            Processes.Result r = build(registry, store, variant, iid.toString());
            if (r.exitCode() != 0) {
              failures.add(r.describe("build " + proc + "/" + i));
              continue;
            }
            try {
              results.put(proc + "/" + i + "/" + variant, Files.readString(iid).strip());
            } catch (java.io.IOException e) {
              failures.add(e.toString());
            }
          }
          return null;
        }));
      }
      Future<Integer> pruner = pool.submit(() -> {
        int prunes = 0;
        while (building.get()) {
          Thread.sleep(ThreadLocalRandom.current().nextInt(3000, 8000));
          Processes.Result r = Cli.jbuild(store, "prune", "--all");
          if (r.exitCode() != 0) {
            failures.add(r.describe("prune"));
          }
          prunes++;
        }
        return prunes;
      });
      for (Future<?> f : builders) {
        f.get(20, TimeUnit.MINUTES);
      }
      building.set(false);
      int prunes = pruner.get(5, TimeUnit.MINUTES);
      assertTrue(prunes >= 2, "prunes ran during the builds: " + prunes);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(), failures);
    assertEquals(2 * BUILDS_PER_PROCESS, results.size());
    for (Map.Entry<String, String> e : results.entrySet()) {
      int variant = Integer.parseInt(e.getKey().split("/")[2]);
      assertEquals(expected.get(variant), e.getValue(), "build " + e.getKey() + " gave another image than a serial build");
    }
    Processes.Result verify = Cli.jbuild(store, "prune", "--verify").assertSuccess();
    assertTrue(verify.stdout().contains("Verified: 0 corrupt blobs, 0 broken records removed"), verify.stdout());
  }

  @Test
  void buildsKilledAtRandomMomentsLeaveNothingCorruptOrBehind(TestRegistry registry) throws Exception {
    Path store = Files.createDirectories(work.resolve("crash"));
    List<Long> killedPids = new ArrayList<>();
    for (int i = 0; i < KILLS; i++) {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.jbuild.cli.Main",
          "build", "--progress=plain", "--build-arg", "BASE=" + registry.busybox(), "--build-arg", "N=" + (100 + i % 7),
          context.toString()));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("kill-" + i + ".log").toFile());
      pb.environment().put("JBUILD_ROOT", store.toString());
      pb.environment().putAll(EPOCH);
      Process p = pb.start();
      Thread.sleep(ThreadLocalRandom.current().nextInt(300, 3000));
      p.destroyForcibly(); // SIGKILL
      p.waitFor();
      killedPids.add(p.pid());
    }
    // let RUN processes the killed builds started (children of runc, not of the JVM) finish
    Thread.sleep(2000);

    Path iid = work.resolve("after-crashes");
    build(registry, store, 100, iid.toString()).assertSuccess();
    Processes.Result verify = Cli.jbuild(store, "prune", "--verify").assertSuccess();
    assertTrue(verify.stdout().contains("Verified: 0 corrupt blobs, 0 broken records removed"), verify.stdout());

    Path clean = Files.createDirectories(work.resolve("clean"));
    Path cleanIid = work.resolve("clean-iid");
    build(registry, clean, 100, cleanIid.toString()).assertSuccess();
    assertEquals(Files.readString(cleanIid).strip(), Files.readString(iid).strip(),
        "the image after 30 killed builds is the one a clean store gives");

    // what the killed builds left is gone: temp files in the store, scratch dirs, runtime bundles in /dev/shm
    try (Stream<Path> s = Files.list(store.resolve("ingest"))) {
      assertEquals(List.of(), s.toList());
    }
    try (Stream<Path> s = Files.list(store.resolve("records"))) {
      assertEquals(List.of(), s.filter(p -> p.toString().endsWith(".tmp")).toList());
    }
    try (Stream<Path> s = Files.list(store.resolve("tmp"))) {
      assertEquals(List.of(), s.toList());
    }
    try (Stream<Path> s = Files.list(store)) { // a build killed while probing overlayfs left its probe mounted
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith("jbuild-overlay-probe")).toList());
    }
    assertEquals(List.of(), Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(l -> l.split(" ")[4].startsWith(store.toString())).toList(), "no mount is left under the store");
    try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
      List<Path> left = s.filter(p -> killedPids.stream().anyMatch(pid -> p.getFileName().toString()
          .startsWith("jbuild-run-" + pid + "-"))).toList();
      assertEquals(List.of(), left);
    }
  }
}
