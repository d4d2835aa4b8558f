package dev.jbuild.parser;

import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.IntStream;
import org.antlr.v4.runtime.misc.Interval;

/**
 * A CharStream over the UTF-16 units of a String, so that token indices are String indices
 * (ANTLR's own streams count code points, which would shift every position after an emoji).
 */
final class Utf16CharStream implements CharStream {
  private final String data;
  private int index;

  Utf16CharStream(String data) {
    this.data = data;
  }

  @Override
  public String getText(Interval interval) {
    int start = Math.max(0, interval.a);
    int stop = Math.min(data.length() - 1, interval.b);
    return start > stop ? "" : data.substring(start, stop + 1);
  }

  @Override
  public void consume() {
    if (index >= data.length()) {
      throw new IllegalStateException("cannot consume EOF");
    }
    index++;
  }

  @Override
  public int LA(int i) {
    if (i == 0) {
      return 0;
    }
    int at = i < 0 ? index + i : index + i - 1;
    return at < 0 || at >= data.length() ? IntStream.EOF : data.charAt(at);
  }

  @Override
  public int mark() {
    return -1;
  }

  @Override
  public void release(int marker) {}

  @Override
  public int index() {
    return index;
  }

  @Override
  public void seek(int index) {
    this.index = Math.min(Math.max(0, index), data.length());
  }

  @Override
  public int size() {
    return data.length();
  }

  @Override
  public String getSourceName() {
    return IntStream.UNKNOWN_SOURCE_NAME;
  }
}
