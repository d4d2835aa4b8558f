package dev.jbuild.parser;

import java.util.List;

/**
 * A problem in a Dockerfile, located to the character. {@link #getMessage()} is the one-line
 * form {@code Dockerfile:3:5: message}; {@link #render()} adds the offending line and a caret.
 */
public class DockerfileException extends Exception {
  private final String fileName;
  private final SourceRange range;
  private final String reason;
  private final List<String> sourceLines;

  /**
   * @param sourceLines the lines of the file (for {@link #render()}); may be empty
   */
  public DockerfileException(String fileName, SourceRange range, String reason, List<String> sourceLines) {
    super(fileName + ":" + range.startLine() + ":" + range.startColumn() + ": " + reason);
    this.fileName = fileName;
    this.range = range;
    this.reason = reason;
    this.sourceLines = List.copyOf(sourceLines);
  }

  public String fileName() {
    return fileName;
  }

  public SourceRange range() {
    return range;
  }

  /** The message without the location prefix. */
  public String reason() {
    return reason;
  }

  /** The message, then the offending line with its number and a caret under the column. */
  public String render() {
    StringBuilder sb = new StringBuilder(getMessage());
    int line = range.startLine();
    if (line >= 1 && line <= sourceLines.size()) {
      String text = sourceLines.get(line - 1);
      String num = String.valueOf(line);
      sb.append('\n').append(' ').append(num).append(" | ").append(text);
      sb.append('\n').append(" ".repeat(num.length() + 1)).append(" | ");
      int col = Math.max(1, range.startColumn());
      for (int i = 0; i < col - 1 && i < text.length(); i++) {
        sb.append(text.charAt(i) == '\t' ? '\t' : ' ');
      }
      int width = range.endLine() == line ? Math.max(1, range.endColumn() - col + 1) : 1;
      sb.append("^".repeat(Math.min(width, Math.max(1, text.length() - col + 1))));
    }
    return sb.toString();
  }
}
