package dev.jbuild.solver;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The first failure of a solve and the steps running when it happens. Recording the failure
 * interrupts every other running step (the executor then kills its process, and each step
 * unmounts and releases what it holds as it unwinds); steps not started yet never start.
 */
final class Cancellation {
  private final Set<Thread> running = new HashSet<>();
  private SolveException first;

  /** Registers the calling thread as running a step; false when the solve has already failed. */
  synchronized boolean enter() {
    if (first != null) {
      return false;
    }
    running.add(Thread.currentThread());
    return true;
  }

  /** The calling thread's step is over; an interrupt meant for that step must not reach its next task. */
  synchronized void exit() {
    running.remove(Thread.currentThread());
    Thread.interrupted();
    notifyAll();
  }

  /** Records {@code e} if it is the first failure; true if it is (then call {@link #cancelOthers}). */
  synchronized boolean claim(SolveException e) {
    if (first != null) {
      return false;
    }
    first = e;
    return true;
  }

  /** Interrupts every running step but the caller's. */
  synchronized void cancelOthers() {
    for (Thread t : running) {
      if (t != Thread.currentThread()) {
        t.interrupt();
      }
    }
  }

  synchronized Optional<SolveException> first() {
    return Optional.ofNullable(first);
  }

  synchronized boolean failed() {
    return first != null;
  }

  /** Waits until no step runs any more (canceled steps have cleaned up), at most {@code millis}. */
  synchronized void awaitIdle(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!running.isEmpty()) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      wait(left);
    }
  }
}
