package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the argument text of an instruction into raw words, remembering where each word is
 * (offsets into the logical line, end exclusive). Nothing is expanded or unquoted here.
 */
final class Words {
  record Word(String text, int start, int end) {}

  private Words() {}

  /** Split on blanks only, quotes meaning nothing (FROM, EXPOSE, ENV's legacy form). */
  static List<Word> byBlanks(String line, int from, int to) {
    List<Word> out = new ArrayList<>();
    int i = from;
    while (i < to) {
      while (i < to && isBlank(line.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < to && !isBlank(line.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(new Word(line.substring(start, i), start, i));
      }
    }
    return out;
  }

  /** BuildKit's regexp {@code [\t\v\f\r ]}. */
  static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || c == '\r';
  }

  /**
   * Split on blanks outside quotes, with the escape character protecting the next character
   * (BuildKit's parseWords, used by ARG, ENV, LABEL, COPY, ADD, VOLUME). Quotes and escapes stay
   * in the words; an escape at the very end is dropped.
   */
  static List<Word> quoteAware(String line, int from, int to, char escape) {
    List<Word> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    int start = -1;
    char quote = 0;
    boolean inQuote = false;
    int i = from;
    while (i < to) {
      char c = line.charAt(i);
      if (start < 0) {
        if (ShellWords.isSpace(c)) {
          i++;
          continue;
        }
        start = i;
      }
      if (!inQuote) {
        if (ShellWords.isSpace(c)) {
          if (word.length() > 0) {
            out.add(new Word(word.toString(), start, i));
          }
          word.setLength(0);
          start = -1;
          i++;
          continue;
        }
        if (c == '\'' || c == '"') {
          quote = c;
          inQuote = true;
        } else if (c == escape) {
          if (i + 1 == to) {
            i++;
            continue;
          }
          word.append(c);
          c = line.charAt(++i);
        }
        word.append(c);
        i++;
      } else {
        if (c == quote) {
          inQuote = false;
        } else if (c == escape && quote != '\'') {
          if (i + 1 == to) {
            inQuote = false;
            i++;
            continue;
          }
          word.append(c);
          c = line.charAt(++i);
        }
        word.append(c);
        i++;
      }
    }
    if (start >= 0 && word.length() > 0) {
      out.add(new Word(word.toString(), start, i));
    }
    return out;
  }
}
