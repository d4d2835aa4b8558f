package dev.jbuild.cli;

import dev.jbuild.platform.BinfmtRegistrar;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code jbuild setup emulation}: makes foreign-architecture RUN steps possible on this host. */
@Command(name = "setup", mixinStandardHelpOptions = true, description = "Prepare this host for jbuild.",
    subcommands = SetupCommand.Emulation.class)
final class SetupCommand {

  @Command(name = "emulation", mixinStandardHelpOptions = true,
      description = "Mount binfmt_misc and register qemu-user-static's handlers with the F flag (as root).")
  static final class Emulation implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      try {
        for (BinfmtRegistrar.Outcome o : BinfmtRegistrar.system().registerQemuHandlers()) {
          System.out.println(o.name() + ": " + o.action());
        }
        return 0;
      } catch (java.io.IOException e) {
        System.err.println("ERROR: " + e.getMessage());
        return 1;
      }
    }
  }
}
