package dev.jbuild.cli.bake;

import java.util.function.Function;

/**
 * {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}} and {@code $$} in
 * compose and bake values, as compose and bake expand them.
 */
final class Interpolation {
  private Interpolation() {}

  /** A value that is not a valid expression; callers add where it was. */
  static final class BadExpression extends IllegalArgumentException {
    BadExpression(String message) {
      super(message);
    }
  }

  /** @param lookup a variable's value, or null when it is not set */
  static String expand(String s, Function<String, String> lookup) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '$' || i + 1 >= s.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = s.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '{') {
        int end = s.indexOf('}', i + 2);
        if (end < 0) {
          throw new BadExpression("unterminated ${ in \"" + s + "\"");
        }
        out.append(braced(s.substring(i + 2, end), lookup));
        i = end + 1;
      } else if (Character.isLetter(next) || next == '_') {
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
          j++;
        }
        String v = lookup.apply(s.substring(i + 1, j));
        out.append(v == null ? "" : v);
        i = j;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String braced(String expr, Function<String, String> lookup) {
    int colonDash = expr.indexOf(":-");
    int dash = expr.indexOf('-');
    if (colonDash > 0) {
      String v = lookup.apply(expr.substring(0, colonDash));
      return v == null || v.isEmpty() ? expr.substring(colonDash + 2) : v;
    }
    if (dash > 0) {
      String v = lookup.apply(expr.substring(0, dash));
      return v == null ? expr.substring(dash + 1) : v;
    }
    if (!expr.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new BadExpression("unsupported expression ${" + expr + "} (supported: ${VAR}, ${VAR:-default})");
    }
    String v = lookup.apply(expr);
    return v == null ? "" : v;
  }
}
