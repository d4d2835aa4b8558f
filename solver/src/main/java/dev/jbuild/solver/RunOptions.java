package dev.jbuild.solver;

import dev.jbuild.nativeexec.NetworkMode;
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
 * @param caCertificates {@code --ca-certs}: CAs every RUN step trusts, kept out of the image
 */
public record RunOptions(NetworkMode network, Set<Entitlement> allowed, Map<String, SecretSource> secrets,
    Map<String, Path> sshAgents, Optional<CaCertificates> caCertificates) {
  public static final RunOptions DEFAULT = new RunOptions(NetworkMode.HOST, Set.of(), Map.of(), Map.of());

  public RunOptions {
    Objects.requireNonNull(network, "network");
    allowed = Set.copyOf(allowed);
    secrets = Map.copyOf(secrets);
    sshAgents = Map.copyOf(sshAgents);
    Objects.requireNonNull(caCertificates, "caCertificates");
  }

  public RunOptions(NetworkMode network, Set<Entitlement> allowed, Map<String, SecretSource> secrets,
      Map<String, Path> sshAgents) {
    this(network, allowed, secrets, sshAgents, Optional.empty());
  }

  public RunOptions withCaCertificates(Optional<CaCertificates> ca) {
    return new RunOptions(network, allowed, secrets, sshAgents, ca);
  }

  public boolean allows(Entitlement e) {
    return allowed.contains(e);
  }
}
