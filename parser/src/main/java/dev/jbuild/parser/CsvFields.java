package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * The comma-separated {@code key=value} syntax of BuildKit option values ({@code RUN --mount=…},
 * {@code --output …}, {@code --secret …}): one CSV record as Go's encoding/csv reads it — fields
 * split on commas outside double quotes, quotes removed, {@code ""} inside quotes is one quote.
 */
public final class CsvFields {
  private CsvFields() {}

  /** @throws IllegalArgumentException for an unterminated quote */
  public static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < s.length() && s.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == ',' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quote in \"" + s + "\"");
    }
    out.add(cur.toString());
    return out;
  }
}
