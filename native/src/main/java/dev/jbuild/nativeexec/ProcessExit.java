package dev.jbuild.nativeexec;

/**
 * Ends the CLI process. Why not only {@link System#exit}: HotSpot's exit waits up to 300 ms for
 * threads that are in native code, and on Java 17–20 an {@code java.net.http.HttpClient} cannot be
 * closed, so its selector thread sits in {@code epoll_wait} until then — a third of a small cold
 * build. When such a thread is alive on those versions, and no shutdown hook of jbuild's is
 * registered (the CLI registers one only while a build runs), the process flushes its standard
 * streams and ends with {@code _exit(2)}. And on Java 21+, {@code Runtime.exit} first asks for a
 * System.Logger to log the exit, whose lookup opens every jar of the class path (≈ 30 ms, a tenth
 * of a cached build): a successful run whose other threads are all daemons ends by returning from
 * {@code main} instead, which runs the same shutdown hooks without that lookup.
 */
public final class ProcessExit {
  private ProcessExit() {}

  /**
   * Ends the process with {@code code}, or returns when the JVM will end with 0 on its own once
   * {@code main} returns: call it last in {@code main}.
   */
  public static void exit(int code) {
    System.out.flush();
    System.err.flush();
    // a JVM recording its class-data archive (the launcher's training) writes it in the exit sequence
    if (Runtime.version().feature() < 21 && !Boolean.getBoolean("jbuild.recording") && httpSelectorAlive()) {
      Libc.exitNow(code);
    }
    if (code == 0 && Runtime.version().feature() >= 21 && onlyDaemonsBesides(Thread.currentThread())) {
      return;
    }
    System.exit(code);
  }

  /** Whether every live thread other than {@code self} is a daemon (so nothing keeps the JVM up). */
  static boolean onlyDaemonsBesides(Thread self) {
    for (Thread t : liveThreads()) {
      if (t != self && !t.isDaemon() && t.isAlive()) {
        return false;
      }
    }
    return true;
  }

  /** Whether a JDK HTTP client's selector thread ("HttpClient-N-SelectorManager") is alive. */
  static boolean httpSelectorAlive() {
    for (Thread t : liveThreads()) {
      String name = t.getName();
      if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager") && t.isAlive()) {
        return true;
      }
    }
    return false;
  }

  private static java.util.List<Thread> liveThreads() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 16];
    int n = root.enumerate(threads, true);
    return java.util.Arrays.asList(threads).subList(0, n);
  }
}
