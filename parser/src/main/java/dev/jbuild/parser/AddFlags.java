package dev.jbuild.parser;

import java.util.List;
import java.util.Optional;

/**
 * ADD's flags, parsed once. String values are raw (expanded by the frontend); {@code unpack} is
 * empty when not written, because ADD's default depends on the source (local archives unpack,
 * URLs do not).
 */
public record AddFlags(Optional<String> chown, Optional<String> chmod, boolean link,
    boolean keepGitDir, Optional<String> checksum, List<String> excludes, Optional<Boolean> unpack) {
  public static final AddFlags NONE = new AddFlags(Optional.empty(), Optional.empty(), false, false,
      Optional.empty(), List.of(), Optional.empty());

  public AddFlags {
    excludes = List.copyOf(excludes);
  }
}
