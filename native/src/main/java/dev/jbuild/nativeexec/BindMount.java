package dev.jbuild.nativeexec;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host file or directory made visible inside the container.
 *
 * @param target absolute path inside the container
 */
public record BindMount(Path source, String target, boolean readOnly) {
  public BindMount {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    if (!target.startsWith("/")) {
      throw new IllegalArgumentException("bind mount target must be absolute: " + target);
    }
  }
}
