package dev.jbuild.nativeexec;

/** The network a process sees. */
public enum NetworkMode {
  /** The host's network namespace (the build default for now). */
  HOST,
  /** A new network namespace holding only a loopback interface. */
  NONE
}
