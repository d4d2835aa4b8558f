package dev.jbuild.progress;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Hands out vertex numbers and emits events for steps that are not graph vertices (resolve, export). */
public final class Progress {
  private final ProgressListener listener;
  private final AtomicInteger next = new AtomicInteger(1);

  public Progress(ProgressListener listener) {
    this.listener = listener;
  }

  public ProgressListener listener() {
    return listener;
  }

  public int nextVertex() {
    return next.getAndIncrement();
  }

  /** A step outside the graph: runs {@code work}, reporting start, done or failure. */
  public <T> T step(String name, StepWork<T> work) throws Exception {
    int v = nextVertex();
    long start = System.nanoTime();
    listener.onEvent(new ProgressEvent.Started(v, name));
    try {
      T result = work.run(new Step(v, listener));
      listener.onEvent(new ProgressEvent.Completed(v, Duration.ofNanos(System.nanoTime() - start)));
      return result;
    } catch (Exception | Error e) {
      listener.onEvent(new ProgressEvent.Failed(v, Duration.ofNanos(System.nanoTime() - start),
          String.valueOf(e.getMessage())));
      throw e;
    }
  }

  /** Lets a running step report status lines. */
  public record Step(int vertex, ProgressListener listener) {
    public void status(String message) {
      listener.onEvent(new ProgressEvent.Status(vertex, message));
    }
  }

  @FunctionalInterface
  public interface StepWork<T> {
    T run(Step step) throws Exception;
  }
}
