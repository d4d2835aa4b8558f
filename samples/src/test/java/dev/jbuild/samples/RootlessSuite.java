package dev.jbuild.samples;

import java.io.PrintWriter;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;

/**
 * Runs test classes in this JVM with the JUnit Platform launcher and exits 0 when all passed and
 * some ran; {@link RootlessBuildTest} starts it as a non-root user. The launcher is reached by
 * reflection because it is Surefire's, not a dependency of these tests.
 */
final class RootlessSuite {
  private RootlessSuite() {}

  public static void main(String[] testClasses) throws Exception {
    List<DiscoverySelector> selectors = new ArrayList<>();
    for (String c : testClasses) {
      selectors.add(DiscoverySelectors.selectClass(c));
    }
    Class<?> builderType = Class.forName("org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder");
    Object builder = builderType.getMethod("request").invoke(null);
    builderType.getMethod("selectors", List.class).invoke(builder, selectors);
    Object request = builderType.getMethod("build").invoke(builder);
    Class<?> launcherType = Class.forName("org.junit.platform.launcher.Launcher");
    Object launcher = Class.forName("org.junit.platform.launcher.core.LauncherFactory").getMethod("create").invoke(null);
    Class<?> listenerType = Class.forName("org.junit.platform.launcher.TestExecutionListener");
    Class<?> summaryListenerType = Class.forName("org.junit.platform.launcher.listeners.SummaryGeneratingListener");
    Object summaryListener = summaryListenerType.getConstructor().newInstance();
    Object listeners = Array.newInstance(listenerType, 1);
    Array.set(listeners, 0, summaryListener);
    launcherType.getMethod("execute", Class.forName("org.junit.platform.launcher.LauncherDiscoveryRequest"),
        listeners.getClass()).invoke(launcher, request, listeners);
    Object summary = summaryListenerType.getMethod("getSummary").invoke(summaryListener);
    Class<?> summaryType = Class.forName("org.junit.platform.launcher.listeners.TestExecutionSummary");
    PrintWriter out = new PrintWriter(System.out, true);
    summaryType.getMethod("printTo", PrintWriter.class).invoke(summary, out);
    summaryType.getMethod("printFailuresTo", PrintWriter.class, int.class).invoke(summary, out, 30);
    out.flush();
    long failed = (Long) summaryType.getMethod("getTotalFailureCount").invoke(summary);
    long succeeded = (Long) summaryType.getMethod("getTestsSucceededCount").invoke(summary);
    System.exit(failed == 0 && succeeded > 0 ? 0 : 1);
  }
}
