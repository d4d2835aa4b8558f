package dev.jbuild.parser;

import java.util.List;

/**
 * One instruction as BuildKit sees it: its physical lines joined (continuations removed,
 * comment and blank lines inside it dropped), with the here-documents that follow it.
 *
 * @param text the joined text, starting at the keyword
 * @param physical for each character of {@code text}, its offset in the source; one more
 *     entry at the end for the offset after the last character
 * @param lastLine 0-based physical line of the last character of the instruction
 * @param heredocs the bodies read after the instruction, in marker order
 */
record LogicalLine(String text, int[] physical, int lastLine, List<Heredoc> heredocs) {

  /** The source range of the characters {@code [start, end)} of {@code text}. */
  SourceRange range(SourceText source, int start, int end) {
    int s = Math.min(Math.max(start, 0), text.length() - 1);
    int e = Math.min(Math.max(end, s + 1), text.length());
    return source.range(physical[s], physical[e - 1] + 1);
  }

  /** From the character at {@code start} to the end of the instruction's last line. */
  SourceRange rangeToEnd(SourceText source, int start) {
    int s = Math.min(Math.max(start, 0), text.length() - 1);
    int end = Math.max(source.lineEnd(lastLine), physical[s] + 1);
    return source.range(physical[s], end);
  }

  /** The source text from the character at {@code start} to the end of the last line. */
  String original(SourceText source, int start) {
    int s = Math.min(Math.max(start, 0), text.length() - 1);
    int end = Math.max(source.lineEnd(lastLine), physical[s]);
    return source.text.substring(physical[s], end);
  }
}
