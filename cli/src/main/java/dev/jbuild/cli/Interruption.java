package dev.jbuild.cli;

/**
 * On Ctrl-C (SIGINT/SIGTERM) while a build runs: stop its steps and clean up before the JVM
 * exits, so no overlay stays mounted and no container keeps running. Closing this after the
 * build removes the hook again.
 */
final class Interruption implements AutoCloseable {
  private final Thread hook;

  private Interruption(Thread hook) {
    this.hook = hook;
  }

  static Interruption stopping(AutoCloseable... resources) {
    Thread hook = new Thread(() -> {
      for (AutoCloseable r : resources) {
        try {
          r.close();
        } catch (Exception e) {
          System.err.println("jbuild: cleanup after interruption failed: " + e.getMessage());
        }
      }
    }, "jbuild-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    return new Interruption(hook);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run: it does the cleanup
    }
  }
}
