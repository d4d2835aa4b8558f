package dev.jbuild.cli;

import dev.jbuild.registry.DockerConfigLocation;
import dev.jbuild.registry.DockerLogin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jbuild logout}: forgets what {@code login} saved (in the file or the credential helper). */
@Command(name = "logout", mixinStandardHelpOptions = true,
    description = "Log out from a registry (Docker Hub when none is named).")
final class LogoutCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER", description = "Registry host[:port] (default: docker.io).")
  String server = "docker.io";

  @Override
  public Integer call() {
    String key = DockerLogin.serverKey(server);
    return RegistryCommands.reporting(() -> {
      if (DockerLogin.erase(DockerConfigLocation.file(), server)) {
        System.out.println("Removing login credentials for " + key);
      } else {
        System.out.println("Not logged in to " + key);
      }
      return 0;
    });
  }
}
