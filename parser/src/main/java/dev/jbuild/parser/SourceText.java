package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The Dockerfile text split into physical lines, turning offsets into lines and columns. */
final class SourceText {
  final String fileName;
  final String text;
  /** Offset of the first character of each line. */
  private final int[] lineStarts;
  /** Each line without its line terminator (trailing {@code \r} removed too). */
  final List<String> lines;

  SourceText(String fileName, String text) {
    this.fileName = fileName;
    this.text = text;
    List<String> lineList = new ArrayList<>();
    int[] starts = new int[16];
    int count = 0;
    int start = 0;
    while (true) {
      if (count == starts.length) {
        starts = Arrays.copyOf(starts, count * 2);
      }
      starts[count++] = start;
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      lineList.add(text.substring(start, trimCarriageReturns(start, end)));
      if (nl < 0) {
        break;
      }
      start = nl + 1;
    }
    // A final newline does not start another line.
    if (count > 1 && start == text.length()) {
      count--;
      lineList.remove(lineList.size() - 1);
    }
    this.lineStarts = Arrays.copyOf(starts, count);
    this.lines = List.copyOf(lineList);
  }

  private int trimCarriageReturns(int start, int end) {
    while (end > start && text.charAt(end - 1) == '\r') {
      end--;
    }
    return end;
  }

  int lineCount() {
    return lineStarts.length;
  }

  int lineStart(int line) {
    return lineStarts[line];
  }

  /** Offset just after the last character of the line (before any {@code \r\n}). */
  int lineEnd(int line) {
    return lineStarts[line] + lines.get(line).length();
  }

  /** 0-based line of an offset. */
  int lineOf(int offset) {
    int i = Arrays.binarySearch(lineStarts, offset);
    return i >= 0 ? i : -i - 2;
  }

  /** A range over offsets {@code [start, end)}; an empty range covers one character. */
  SourceRange range(int start, int end) {
    int last = Math.max(start, end - 1);
    int l1 = lineOf(start);
    int l2 = lineOf(last);
    return new SourceRange(l1 + 1, start - lineStarts[l1] + 1, l2 + 1, last - lineStarts[l2] + 1);
  }

  /** The start of a whole line, for problems that concern the line itself. */
  SourceRange lineRange(int line) {
    int len = Math.max(1, lines.get(line).length());
    return new SourceRange(line + 1, 1, line + 1, len);
  }

  DockerfileException error(SourceRange range, String reason) {
    return new DockerfileException(fileName, range, reason, lines);
  }
}
