package dev.jbuild.parser;

import java.util.List;

/** Go's {@code strconv.Quote} and {@code %q} of a string slice, for BuildKit-identical dumps. */
final class GoQuote {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoQuote() {}

  /** {@code ["a" "b"]} */
  static String quoteList(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(quote(values.get(i)));
    }
    return sb.append(']').toString();
  }

  /** A double-quoted Go string literal: printable characters as is, the rest escaped. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '"' || cp == '\\') {
        sb.append('\\').appendCodePoint(cp);
      } else if (isPrint(cp)) {
        sb.appendCodePoint(cp);
      } else {
        switch (cp) {
          case 0x07: sb.append("\\a"); break;
          case '\b': sb.append("\\b"); break;
          case '\f': sb.append("\\f"); break;
          case '\n': sb.append("\\n"); break;
          case '\r': sb.append("\\r"); break;
          case '\t': sb.append("\\t"); break;
          case 0x0B: sb.append("\\v"); break;
          default:
            if (cp < ' ' || cp == 0x7f) {
              sb.append("\\x").append(HEX[cp >> 4]).append(HEX[cp & 0xF]);
            } else if (Character.isSurrogate((char) cp) && cp < 0x10000) {
              sb.append("\\ufffd"); // Go sees invalid UTF-8 as U+FFFD, which it prints
            } else if (cp < 0x10000) {
              sb.append("\\u").append(hex(cp, 4));
            } else {
              sb.append("\\U").append(hex(cp, 8));
            }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
  static boolean isPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER: case Character.LOWERCASE_LETTER: case Character.TITLECASE_LETTER:
      case Character.MODIFIER_LETTER: case Character.OTHER_LETTER:
      case Character.NON_SPACING_MARK: case Character.ENCLOSING_MARK: case Character.COMBINING_SPACING_MARK:
      case Character.DECIMAL_DIGIT_NUMBER: case Character.LETTER_NUMBER: case Character.OTHER_NUMBER:
      case Character.CONNECTOR_PUNCTUATION: case Character.DASH_PUNCTUATION: case Character.START_PUNCTUATION:
      case Character.END_PUNCTUATION: case Character.INITIAL_QUOTE_PUNCTUATION:
      case Character.FINAL_QUOTE_PUNCTUATION: case Character.OTHER_PUNCTUATION:
      case Character.MATH_SYMBOL: case Character.CURRENCY_SYMBOL: case Character.MODIFIER_SYMBOL:
      case Character.OTHER_SYMBOL:
        return true;
      default:
        return false;
    }
  }

  private static String hex(int v, int digits) {
    StringBuilder sb = new StringBuilder();
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      sb.append(HEX[(v >> shift) & 0xF]);
    }
    return sb.toString();
  }
}
