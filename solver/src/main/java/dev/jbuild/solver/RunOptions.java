package dev.jbuild.solver;

import dev.jbuild.nativeexec.NetworkMode;
import dev.jbuild.nativeexec.RunLimits;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the RUN steps of one build may run and what the client lends them.
 *
 * @param network the network of steps without {@code RUN --network} ({@code --network})
 * @param allowed the entitlements granted ({@code --allow})
 * @param secrets {@code --secret} sources by id
 * @param sshAgents {@code --ssh} agent sockets by id
 * @param limits {@code --add-host}, {@code --shm-size} and {@code --ulimit}: part of every RUN op, as BuildKit has them
 * @param caCertificates {@code --ca-certs}: CAs every RUN step trusts, kept out of the image
 */
public record RunOptions(NetworkMode network, Set<Entitlement> allowed, Map<String, SecretSource> secrets,
    Map<String, Path> sshAgents, RunLimits limits, Optional<CaCertificates> caCertificates) {
  public static final RunOptions DEFAULT = new RunOptions(NetworkMode.HOST, Set.of(), Map.of(), Map.of());

  public RunOptions(NetworkMode network, Set<Entitlement> allowed, Map<String, SecretSource> secrets,
      Map<String, Path> sshAgents) {
    this(network, allowed, secrets, sshAgents, RunLimits.NONE, Optional.empty());
  }

  public RunOptions(NetworkMode network, Set<Entitlement> allowed, Map<String, SecretSource> secrets,
      Map<String, Path> sshAgents, RunLimits limits) {
    this(network, allowed, secrets, sshAgents, limits, Optional.empty());
  }

  public RunOptions {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(limits, "limits");
    allowed = Set.copyOf(allowed);
    secrets = Map.copyOf(secrets);
    sshAgents = Map.copyOf(sshAgents);
    Objects.requireNonNull(caCertificates, "caCertificates");
  }

  public RunOptions withCaCertificates(Optional<CaCertificates> ca) {
    return new RunOptions(network, allowed, secrets, sshAgents, limits, ca);
  }

  public RunOptions withLimits(RunLimits l) {
    return new RunOptions(network, allowed, secrets, sshAgents, l, caCertificates);
  }

  public boolean allows(Entitlement e) {
    return allowed.contains(e);
  }
}
