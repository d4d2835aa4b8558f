package dev.jbuild.parser;

/**
 * A {@code key=value} pair of ENV, LABEL or ARG. Both sides are raw words: quotes and
 * variable references are still in them and are resolved by {@link ShellExpander}.
 */
public record KeyValue(String key, String value, SourceRange range) {}
