package dev.jbuild.parser;

import java.util.Optional;

/**
 * An instruction flag such as {@code --platform=$BUILDPLATFORM} or {@code --link}.
 *
 * @param value the raw (unexpanded) value; empty for a boolean flag written without {@code =}
 */
public record Flag(String name, Optional<String> value, SourceRange range) {}
