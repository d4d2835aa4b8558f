package dev.jbuild.solver;

import dev.jbuild.nativeexec.NetworkMode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the RUN steps of one build may run and what the client lends them.
 *
 * @param network the network of steps without {@code RUN --network} ({@code --network})
 * @param allowed the entitlements granted ({@code --allow})
 * @param secrets {@code --secret} sources by id
 * @param sshAgents {@code --ssh} agent sockets by id
 */
public record RunOptions(NetworkMode network, Set<Entitlement> allowed, Map<String, SecretSource> secrets,
    Map<String, Path> sshAgents) {
  public static final RunOptions DEFAULT = new RunOptions(NetworkMode.HOST, Set.of(), Map.of(), Map.of());

  public RunOptions {
    Objects.requireNonNull(network, "network");
    allowed = Set.copyOf(allowed);
    secrets = Map.copyOf(secrets);
    sshAgents = Map.copyOf(sshAgents);
  }

  public boolean allows(Entitlement e) {
    return allowed.contains(e);
  }
}
