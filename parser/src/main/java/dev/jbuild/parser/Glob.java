package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * A shell pattern as used by {@code ${V#p}}, {@code ${V%p}} and {@code ${V/p/r}}: {@code *},
 * {@code ?}, bracket expressions ({@code [a-z]}, {@code [!x]}, {@code [^x]}) and the escape
 * character quoting the next character. An unterminated {@code [} is a literal.
 */
final class Glob {
  private static final int LITERAL = 0;
  private static final int ANY_CHAR = 1;
  private static final int ANY_STRING = 2;
  private static final int CLASS = 3;

  /** One compiled element; for CLASS, {@code set} holds pairs of inclusive ranges. */
  private record Element(int kind, char literal, char[] set, boolean negated) {}

  private final List<Element> elements;

  private Glob(List<Element> elements) {
    this.elements = elements;
  }

  static Glob compile(String pattern, char escape) {
    List<Element> out = new ArrayList<>();
    int i = 0;
    int n = pattern.length();
    while (i < n) {
      char c = pattern.charAt(i);
      if (c == escape && i + 1 < n) {
        out.add(new Element(LITERAL, pattern.charAt(i + 1), null, false));
        i += 2;
      } else if (c == '*') {
        if (out.isEmpty() || out.get(out.size() - 1).kind != ANY_STRING) {
          out.add(new Element(ANY_STRING, c, null, false));
        }
        i++;
      } else if (c == '?') {
        out.add(new Element(ANY_CHAR, c, null, false));
        i++;
      } else if (c == '[') {
        int end = parseClass(pattern, i, escape, out);
        if (end < 0) {
          out.add(new Element(LITERAL, c, null, false));
          i++;
        } else {
          i = end;
        }
      } else {
        out.add(new Element(LITERAL, c, null, false));
        i++;
      }
    }
    return new Glob(List.copyOf(out));
  }

  /** Parses {@code [...]} at {@code open}; returns the index after {@code ]}, or -1 if none. */
  private static int parseClass(String p, int open, char escape, List<Element> out) {
    int i = open + 1;
    int n = p.length();
    boolean negated = i < n && (p.charAt(i) == '!' || p.charAt(i) == '^');
    if (negated) {
      i++;
    }
    StringBuilder ranges = new StringBuilder();
    boolean first = true;
    while (i < n) {
      char c = p.charAt(i);
      if (c == ']' && !first) {
        out.add(new Element(CLASS, ' ', ranges.toString().toCharArray(), negated));
        return i + 1;
      }
      first = false;
      if (c == escape && i + 1 < n) {
        c = p.charAt(++i);
      }
      char hi = c;
      if (i + 2 < n && p.charAt(i + 1) == '-' && p.charAt(i + 2) != ']') {
        hi = p.charAt(i + 2);
        i += 2;
      }
      ranges.append(c).append(hi);
      i++;
    }
    return -1;
  }

  /** Whether the whole of {@code s} matches (iterative, backtracking to the last star). */
  boolean matches(CharSequence s) {
    int si = 0;
    int pi = 0;
    int starP = -1;
    int starS = -1;
    int n = s.length();
    int m = elements.size();
    while (si < n) {
      if (pi < m && elements.get(pi).kind == ANY_STRING) {
        starP = pi++;
        starS = si;
      } else if (pi < m && matchesOne(elements.get(pi), s.charAt(si))) {
        pi++;
        si++;
      } else if (starP >= 0) {
        pi = starP + 1;
        si = ++starS;
      } else {
        return false;
      }
    }
    while (pi < m && elements.get(pi).kind == ANY_STRING) {
      pi++;
    }
    return pi == m;
  }

  private static boolean matchesOne(Element e, char c) {
    switch (e.kind) {
      case LITERAL:
        return e.literal == c;
      case ANY_CHAR:
        return true;
      case CLASS:
        boolean in = false;
        for (int k = 0; k + 1 < e.set.length; k += 2) {
          if (c >= e.set[k] && c <= e.set[k + 1]) {
            in = true;
            break;
          }
        }
        return in != e.negated;
      default:
        return false;
    }
  }

  /** {@code ${V#p}} / {@code ${V##p}}: remove the shortest / longest matching prefix. */
  String removePrefix(String value, boolean longest) {
    int n = value.length();
    for (int k = 0; k <= n; k++) {
      int len = longest ? n - k : k;
      if (matches(value.subSequence(0, len))) {
        return value.substring(len);
      }
    }
    return value;
  }

  /** {@code ${V%p}} / {@code ${V%%p}}: remove the shortest / longest matching suffix. */
  String removeSuffix(String value, boolean longest) {
    int n = value.length();
    for (int k = 0; k <= n; k++) {
      int start = longest ? k : n - k;
      if (matches(value.subSequence(start, n))) {
        return value.substring(0, start);
      }
    }
    return value;
  }

  /** {@code ${V/p/r}} / {@code ${V//p/r}}: replace the first / every longest non-empty match. */
  String replace(String value, String replacement, boolean all) {
    if (elements.isEmpty()) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    int n = value.length();
    int i = 0;
    boolean replaced = false;
    while (i < n) {
      int end = -1;
      if (!replaced || all) {
        for (int e = n; e > i; e--) {
          if (matches(value.subSequence(i, e))) {
            end = e;
            break;
          }
        }
      }
      if (end > 0) {
        out.append(replacement);
        i = end;
        replaced = true;
      } else {
        out.append(value.charAt(i++));
      }
    }
    return out.toString();
  }
}
