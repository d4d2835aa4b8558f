package dev.jbuild.frontend;

import java.util.List;
import java.util.Optional;

/**
 * What COPY and ADD planning needs from their typed flags ({@link dev.jbuild.parser.CopyFlags},
 * {@link dev.jbuild.parser.AddFlags}): one shape for both, values still raw.
 */
record TransferFlags(Optional<String> from, Optional<String> chown, Optional<String> chmod,
    List<String> excludes, boolean parents, Optional<String> checksum, Optional<Boolean> unpack,
    boolean keepGitDir) {}
