package dev.jbuild.cli;

import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jbuild version} (and {@code --version}): the release, the git commit it was built from
 * (the launcher passes {@code -Djbuild.commit}), the Java runtime and the platform.
 */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Show the jbuild version and git commit.")
final class VersionCommand implements Runnable, CommandLine.IVersionProvider {
  static String release() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v; // classes run outside the jar (tests, IDE)
  }

  static String commit() {
    String c = System.getProperty("jbuild.commit", "");
    return c.isBlank() ? "unknown" : c.strip();
  }

  @Override
  public String[] getVersion() {
    return new String[] {
        "jbuild " + release(),
        " commit:  " + commit(),
        " java:    " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
        " os/arch: " + System.getProperty("os.name").toLowerCase(Locale.ROOT) + "/" + dev.jbuild.platform.Platform.host()
            .architecture()};
  }

  @Override
  public void run() {
    for (String line : getVersion()) {
      System.out.println(line);
    }
  }
}
