package dev.jbuild.nativeexec;

/**
 * Ends the CLI process. Why not only {@link System#exit}: HotSpot's exit waits up to 300 ms for
 * threads that are in native code, and on Java 17–20 an {@code java.net.http.HttpClient} cannot be
 * closed, so its selector thread sits in {@code epoll_wait} until then — a third of a small cold
 * build. When such a thread is alive on those versions, and no shutdown hook of jbuild's is
 * registered (the CLI registers one only while a build runs), the process flushes its standard
 * streams and ends with {@code _exit(2)}.
 */
public final class ProcessExit {
  private ProcessExit() {}

  public static void exit(int code) {
    System.out.flush();
    System.err.flush();
    // a JVM recording its class-data archive (the launcher's training) writes it in the exit sequence
    if (Runtime.version().feature() < 21 && !Boolean.getBoolean("jbuild.recording") && httpSelectorAlive()) {
      Libc.exitNow(code);
    }
    System.exit(code);
  }

  /** Whether a JDK HTTP client's selector thread ("HttpClient-N-SelectorManager") is alive. */
  static boolean httpSelectorAlive() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 16];
    int n = root.enumerate(threads, true);
    for (int i = 0; i < n; i++) {
      String name = threads[i].getName();
      if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager") && threads[i].isAlive()) {
        return true;
      }
    }
    return false;
  }
}
