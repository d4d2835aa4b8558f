package dev.jbuild.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * An upload body read from a stream in large chunks. The JDK's {@code BodyPublishers.ofInputStream}
 * hands the client 16 KiB buffers, and the per-buffer cost caps a blob upload well below what
 * the disk and the network can do; 1 MiB chunks remove that ceiling. Single subscriber, demand
 * honoured, stream closed at the end or on cancel.
 */
final class StreamPublisher implements Flow.Publisher<ByteBuffer> {
  private static final int CHUNK = 1 << 20;
  private final Supplier<InputStream> open;

  StreamPublisher(Supplier<InputStream> open) {
    this.open = open;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    subscriber.onSubscribe(new Subscription(open, subscriber));
  }

  private static final class Subscription implements Flow.Subscription {
    private final Supplier<InputStream> open;
    private final Flow.Subscriber<? super ByteBuffer> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger draining = new AtomicInteger();
    private final AtomicBoolean done = new AtomicBoolean();
    private InputStream in;

    Subscription(Supplier<InputStream> open, Flow.Subscriber<? super ByteBuffer> subscriber) {
      this.open = open;
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        fail(new IllegalArgumentException("non-positive request: " + n));
        return;
      }
      demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      drain();
    }

    /** Emits while there is demand; re-entrant calls (request from onNext) only add to the loop's work. */
    private void drain() {
      if (draining.getAndIncrement() != 0) {
        return;
      }
      int missed = 1;
      while (true) {
        while (!done.get() && demand.get() > 0) {
          ByteBuffer chunk;
          try {
            if (in == null) {
              in = open.get();
            }
            byte[] buf = new byte[CHUNK];
            int n = in.readNBytes(buf, 0, CHUNK);
            if (n == 0) {
              complete();
              break;
            }
            chunk = ByteBuffer.wrap(buf, 0, n);
          } catch (IOException | UncheckedIOException e) {
            fail(e);
            break;
          }
          demand.decrementAndGet();
          subscriber.onNext(chunk);
        }
        missed = draining.addAndGet(-missed);
        if (missed == 0) {
          return;
        }
      }
    }

    private void complete() {
      if (done.compareAndSet(false, true)) {
        closeQuietly();
        subscriber.onComplete();
      }
    }

    private void fail(Throwable t) {
      if (done.compareAndSet(false, true)) {
        closeQuietly();
        subscriber.onError(t);
      }
    }

    @Override
    public void cancel() {
      if (done.compareAndSet(false, true)) {
        closeQuietly();
      }
    }

    private void closeQuietly() {
      if (in != null) {
        try {
          in.close();
        } catch (IOException ignored) {
          // the upload is over either way
        }
      }
    }
  }
}
