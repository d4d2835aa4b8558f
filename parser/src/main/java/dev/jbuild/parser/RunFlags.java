package dev.jbuild.parser;

import java.util.List;

/**
 * RUN's flags, parsed once. {@code mounts} and {@code devices} are raw (the frontend expands
 * them in the stage's scope, as BuildKit does); network and security are checked here, unexpanded,
 * as BuildKit's instruction parser does.
 */
public record RunFlags(List<String> mounts, Network network, Security security, List<String> devices) {
  public static final RunFlags NONE = new RunFlags(List.of(), Network.DEFAULT, Security.SANDBOX, List.of());

  public RunFlags {
    mounts = List.copyOf(mounts);
    devices = List.copyOf(devices);
  }

  /** {@code --network=default|none|host}. */
  public enum Network { DEFAULT, NONE, HOST }

  /** {@code --security=sandbox|insecure}. */
  public enum Security { SANDBOX, INSECURE }
}
