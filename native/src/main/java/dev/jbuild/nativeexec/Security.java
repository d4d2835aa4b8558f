package dev.jbuild.nativeexec;

/** How much of the host a process may reach. */
public enum Security {
  /** Docker's defaults for build steps: a reduced capability set, masked /proc paths, read-only /sys. */
  SANDBOX,
  /** All capabilities, nothing masked, /sys writable, every device allowed (RUN --security=insecure). */
  INSECURE
}
