package dev.jbuild.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * How store code reads a directory of the store, so that a test can see which directories an
 * operation read (a cached build must not walk the store) without timing anything.
 */
public final class StoreDirectories {
  private static final List<Consumer<Path>> OBSERVERS = new CopyOnWriteArrayList<>();

  private StoreDirectories() {}

  /** {@link Files#list}, seen by the observers. */
  static Stream<Path> list(Path dir) throws IOException {
    reading(dir);
    return Files.list(dir);
  }

  /** Tells the observers that {@code dir} is read (listed or walked). */
  static void reading(Path dir) {
    for (Consumer<Path> o : OBSERVERS) {
      o.accept(dir);
    }
  }

  /** Lets {@code observer} see every directory read (in any thread) until the returned handle is closed. */
  public static AutoCloseable observe(Consumer<Path> observer) {
    OBSERVERS.add(observer);
    return () -> OBSERVERS.remove(observer);
  }
}
