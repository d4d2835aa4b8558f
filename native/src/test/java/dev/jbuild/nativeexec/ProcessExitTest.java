package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A successful run returns from main only when no other non-daemon thread would keep the JVM up. */
class ProcessExitTest {
  @Test
  void aLiveNonDaemonThreadKeepsTheExitCall() throws Exception {
    Thread self = Thread.currentThread();
    boolean before = ProcessExit.onlyDaemonsBesides(self);
    CountDownLatch release = new CountDownLatch(1);
    Thread daemon = new Thread(() -> await(release), "test-daemon");
    daemon.setDaemon(true);
    daemon.start();
    assertEquals(before, ProcessExit.onlyDaemonsBesides(self), "a daemon thread changes nothing");
    Thread worker = new Thread(() -> await(release), "test-worker");
    worker.start();
    try {
      assertFalse(ProcessExit.onlyDaemonsBesides(self));
    } finally {
      release.countDown();
      worker.join();
      daemon.join();
    }
    assertEquals(before, ProcessExit.onlyDaemonsBesides(self), "once it ended");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
