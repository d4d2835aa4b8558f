package dev.jbuild.parser;

import java.util.List;
import java.util.Optional;

/**
 * COPY's flags, parsed once. String values are raw: the frontend expands them in the stage's
 * scope (BuildKit expands {@code --from}, {@code --chown}, {@code --chmod}, {@code --exclude}).
 */
public record CopyFlags(Optional<String> from, Optional<String> chown, Optional<String> chmod,
    boolean link, boolean parents, List<String> excludes) {
  public static final CopyFlags NONE =
      new CopyFlags(Optional.empty(), Optional.empty(), Optional.empty(), false, false, List.of());

  public CopyFlags {
    excludes = List.copyOf(excludes);
  }
}
