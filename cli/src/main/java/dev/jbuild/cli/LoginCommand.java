package dev.jbuild.cli;

import dev.jbuild.registry.DockerConfigLocation;
import dev.jbuild.registry.DockerLogin;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jbuild login}: docker login without Docker; the same config file, the same credential helpers. */
@Command(name = "login", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Log in to a registry (Docker Hub when none is named); writes the Docker config"
        + " ($DOCKER_CONFIG, else $HOME/.docker) or its credential helper.")
final class LoginCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER", description = "Registry host[:port] (default: docker.io).")
  String server = "docker.io";

  @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "Username.")
  String username;

  @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD", description = "Password (insecure: prefer --password-stdin).")
  String password;

  @Option(names = "--password-stdin", description = "Take the password from stdin.")
  boolean passwordStdin;

  @picocli.CommandLine.Mixin RegistryCommands registrySettings = new RegistryCommands();

  @Override
  public Integer call() {
    return RegistryCommands.reporting(() -> {
      String user = username(System.console());
      String secret = password(System.console());
      DockerLogin.verify(registrySettings.load(), server, user, secret);
      String where = DockerLogin.store(DockerConfigLocation.file(), server, user, secret);
      System.err.println("Credentials for " + DockerLogin.serverKey(server) + " saved in " + where);
      System.out.println("Login Succeeded");
      return 0;
    });
  }

  private String username(Console console) throws UserError {
    if (username != null && !username.isBlank()) {
      return username.strip();
    }
    if (console == null || passwordStdin) {
      throw new UserError("login: a username is required: pass -u/--username USER");
    }
    String u = console.readLine("Username: ");
    if (u == null || u.isBlank()) {
      throw new UserError("login: a username is required");
    }
    return u.strip();
  }

  private String password(Console console) throws UserError {
    if (password != null && passwordStdin) {
      throw new UserError("--password and --password-stdin are mutually exclusive");
    }
    if (password != null) {
      System.err.println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
      return password;
    }
    if (passwordStdin) {
      try {
        String s = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        s = s.replaceAll("[\r\n]+$", ""); // docker trims the final newline of `echo $TOKEN |`
        if (s.isEmpty()) {
          throw new UserError("login: the password on stdin is empty");
        }
        return s;
      } catch (IOException e) {
        throw new UserError("login: cannot read the password from stdin: " + e.getMessage(), e);
      }
    }
    if (console == null) {
      throw new UserError("login: no password given and no terminal to ask for one: use --password-stdin");
    }
    char[] p = console.readPassword("Password: ");
    if (p == null || p.length == 0) {
      throw new UserError("login: a password is required");
    }
    return new String(p);
  }
}
