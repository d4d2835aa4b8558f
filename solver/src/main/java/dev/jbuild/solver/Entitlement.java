package dev.jbuild.solver;

import java.util.Optional;

/** A privilege a build must be granted explicitly ({@code --allow}), as in BuildKit. */
public enum Entitlement {
  /** RUN --network=host. */
  NETWORK_HOST("network.host"),
  /** RUN --security=insecure. */
  SECURITY_INSECURE("security.insecure");

  private final String flagName;

  Entitlement(String flagName) {
    this.flagName = flagName;
  }

  /** As written after {@code --allow}. */
  public String flagName() {
    return flagName;
  }

  public static Optional<Entitlement> parse(String name) {
    for (Entitlement e : values()) {
      if (e.flagName.equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
