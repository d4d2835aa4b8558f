package dev.jbuild.parser;

/** A span of a Dockerfile, 1-based lines and columns, {@code end} inclusive. */
public record SourceRange(int startLine, int startColumn, int endLine, int endColumn) {
  public static SourceRange at(int line, int column) {
    return new SourceRange(line, column, line, column);
  }
}
