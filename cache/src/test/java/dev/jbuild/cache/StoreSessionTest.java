package dev.jbuild.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leftovers are looked for only after a killed process: a session opened after clean ones reads one directory. */
class StoreSessionTest {
  @TempDir Path root;

  /** The store directories read while {@code action} runs, relative to the store. */
  private List<String> readsDuring(ThrowingRunnable action) throws Exception {
    List<String> reads = Collections.synchronizedList(new ArrayList<>());
    try (AutoCloseable watch = StoreDirectories.observe(p -> {
      if (p.startsWith(root)) {
        reads.add(root.relativize(p).toString());
      }
    })) {
      action.run();
    }
    return List.copyOf(reads);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** A store with content, written by sessions that ended normally. */
  private void fill() throws Exception {
    ContentStore content = new ContentStore(root);
    CacheRecords records = new CacheRecords(root, content);
    for (int i = 0; i < 20; i++) {
      records.put(CacheKey.of(Map.of("op", "step" + i)), new CacheRecord(List.of(), false, null));
      content.put(new byte[] {(byte) i});
    }
  }

  @Test
  void aSessionAfterCleanOnesReadsOnlyTheMarkers() throws Exception {
    StoreSession.open(root).close(); // the first session in a store cleans what older versions left
    fill();
    StoreSession.open(root).close();
    List<String> reads = readsDuring(() -> StoreSession.open(root).close());
    assertEquals(List.of("sessions"), reads);
    try (Stream<Path> markers = Files.list(root.resolve("sessions"))) {
      assertEquals(0, markers.count(), "a closed session leaves no marker");
    }
  }

  @Test
  void aStoreFromBeforeMarkersIsCleanedOnce() throws Exception {
    long dead = deadPid();
    Files.createDirectories(root.resolve("ingest"));
    Path leftover = Files.write(root.resolve("ingest/" + dead + "-blob1.tmp"), new byte[10]);
    StoreSession.open(root).close();
    assertFalse(Files.exists(leftover));
  }

  @Test
  void leftoversOfAKilledBuildAreCleanedByTheNextSession() throws Exception {
    StoreSession.open(root).close();
    fill();
    // a build in another process: opens a session, starts writing a blob, and is killed
    Process build = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), HalfWrite.class.getName(), root.toString()).start();
    Path leftover;
    try {
      leftover = Path.of(new String(build.getInputStream().readNBytes(4096)).strip().split("\n")[0]);
      assertTrue(Files.exists(leftover), leftover.toString());
      List<String> whileAlive = readsDuring(() -> StoreSession.open(root).close());
      assertEquals(List.of("sessions"), whileAlive, "a running build is not a killed one");
      assertTrue(Files.exists(leftover), "a live build's temp file stays");
    } finally {
      build.destroyForcibly();
      build.waitFor(30, TimeUnit.SECONDS);
    }
    assertTrue(Files.exists(leftover));

    List<String> afterKill = readsDuring(() -> StoreSession.open(root).close());
    assertFalse(Files.exists(leftover), "the killed build's temp file is removed");
    assertTrue(afterKill.containsAll(List.of("sessions", "ingest", "records")), afterKill.toString());
    assertEquals(List.of("sessions"), readsDuring(() -> StoreSession.open(root).close()),
        "the dead marker went with its leftovers");
  }

  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  /** Opens a session, leaves a temp file in ingest/ as a blob being written, prints its path and waits to be killed. */
  static final class HalfWrite {
    public static void main(String[] args) throws Exception {
      Path root = Path.of(args[0]);
      StoreSession.open(root); // never closed: the process is killed
      Path tmp = AtomicFiles.tempFile(Files.createDirectories(root.resolve("ingest")), "blob");
      System.out.println(tmp);
      System.out.close();
      Thread.sleep(120_000);
    }
  }
}
