package dev.jbuild.nativeexec;

/** The network a process sees. */
public enum NetworkMode {
  /**
   * The host's network namespace. The build's "default" network is this too (as BuildKit's
   * host-network worker mode): steps reach what the host reaches, with no NAT or slirp in between.
   */
  HOST,
  /** A new network namespace holding only a loopback interface. */
  NONE
}
