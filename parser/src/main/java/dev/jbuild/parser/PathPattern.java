package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code .dockerignore} pattern, compiled the way Docker's matcher reads it ({@code *} and
 * {@code ?} stop at {@code /}, {@code **} spans directories, {@code [...]} classes in Go's regexp
 * syntax, {@code \} quotes the next character) and matched in time linear in the path for each
 * pattern element. Docker turns patterns into Go regular expressions, which never backtrack; a
 * backtracking Java regex would take exponential time on patterns like {@code ****…x}.
 */
final class PathPattern {
  private static final int CHAR = 0;
  /** {@code ?}: one character but {@code /} */
  private static final int ANY = 1;
  /** {@code *}: any run without {@code /} */
  private static final int STAR = 2;
  private static final int CLASS = 3;
  /** {@code **} inside a pattern: any number of leading directories (the regexp .* then a slash, optional) */
  private static final int DIRS = 4;
  /** {@code **} at the end: anything, {@code .*} */
  private static final int REST = 5;

  /** For CLASS, {@code ranges} holds inclusive code point pairs. */
  private record Element(int kind, int codePoint, int[] ranges, boolean negated) {}

  private static final Map<String, int[]> POSIX_CLASSES = Map.ofEntries(
      Map.entry("alnum", new int[] {'0', '9', 'A', 'Z', 'a', 'z'}),
      Map.entry("alpha", new int[] {'A', 'Z', 'a', 'z'}),
      Map.entry("ascii", new int[] {0, 0x7f}),
      Map.entry("blank", new int[] {'\t', '\t', ' ', ' '}),
      Map.entry("cntrl", new int[] {0, 0x1f, 0x7f, 0x7f}),
      Map.entry("digit", new int[] {'0', '9'}),
      Map.entry("graph", new int[] {'!', '~'}),
      Map.entry("lower", new int[] {'a', 'z'}),
      Map.entry("print", new int[] {' ', '~'}),
      Map.entry("punct", new int[] {'!', '/', ':', '@', '[', '`', '{', '~'}),
      Map.entry("space", new int[] {'\t', '\r', ' ', ' '}),
      Map.entry("upper", new int[] {'A', 'Z'}),
      Map.entry("word", new int[] {'0', '9', 'A', 'Z', 'a', 'z', '_', '_'}),
      Map.entry("xdigit", new int[] {'0', '9', 'A', 'F', 'a', 'f'}));

  private final List<Element> elements;

  private PathPattern(List<Element> elements) {
    this.elements = elements;
  }

  /**
   * @throws PatternSyntaxException for what Go's {@code filepath.Match} calls a bad pattern (Docker
   *     checks every pattern with it first), or a malformed class for Go's regexp
   */
  static PathPattern compile(String pattern) {
    checkGoMatchSyntax(pattern);
    List<Element> out = new ArrayList<>();
    int n = pattern.length();
    int i = 0;
    while (i < n) {
      int c = pattern.codePointAt(i);
      if (c == '*') {
        if (i + 1 < n && pattern.charAt(i + 1) == '*') {
          i += 2;
          if (i < n && pattern.charAt(i) == '/') {
            i++;
          }
          add(out, new Element(i >= n ? REST : DIRS, 0, null, false));
        } else {
          add(out, new Element(STAR, 0, null, false));
          i++;
        }
      } else if (c == '?') {
        out.add(new Element(ANY, 0, null, false));
        i++;
      } else if (c == '\\') {
        int q = pattern.codePointAt(i + 1); // a trailing backslash was refused above
        out.add(new Element(CHAR, q, null, false));
        i += 1 + Character.charCount(q);
      } else if (c == '[') {
        i = bracket(pattern, i, out);
      } else {
        out.add(new Element(CHAR, c, null, false));
        i += Character.charCount(c);
      }
    }
    return new PathPattern(List.copyOf(out));
  }

  /**
   * The syntax Go's {@code filepath.Match} accepts, which Docker's pattern matcher checks every
   * pattern against: a backslash must quote something, and a bracket expression holds at least
   * one character or {@code lo-hi} range, where {@code -} and {@code ]} only appear escaped
   * ({@code [-]}, {@code [x-]}, {@code [a-b-c]}, {@code []} and an unclosed {@code [} are bad).
   */
  private static void checkGoMatchSyntax(String p) {
    int n = p.length();
    int i = 0;
    while (i < n) {
      char c = p.charAt(i);
      if (c == '\\') {
        if (i + 1 >= n) {
          throw new PatternSyntaxException("a trailing backslash escapes nothing", p, i);
        }
        i += 1 + Character.charCount(p.codePointAt(i + 1));
      } else if (c == '[') {
        i = checkBracket(p, i);
      } else {
        i += Character.charCount(p.codePointAt(i));
      }
    }
  }

  /** Go's matchChunk on a bracket expression at {@code open}; returns the index after its {@code ]}. */
  private static int checkBracket(String p, int open) {
    int i = open + 1;
    if (i < p.length() && p.charAt(i) == '^') {
      i++;
    }
    int ranges = 0;
    while (true) {
      if (i < p.length() && p.charAt(i) == ']' && ranges > 0) {
        return i + 1;
      }
      i = bracketMember(p, open, i, false);
      if (p.charAt(i) == '-') {
        i = bracketMember(p, open, i + 1, true);
      }
      ranges++;
    }
  }

  /** Go's getEsc: one possibly escaped character, which must not be the last of the pattern. */
  private static int bracketMember(String p, int open, int i, boolean rangeEnd) {
    if (i >= p.length()) {
      throw new PatternSyntaxException("unterminated bracket expression", p, open);
    }
    char c = p.charAt(i);
    if (c == '-' || c == ']') {
      throw new PatternSyntaxException(c == ']' && !rangeEnd
          ? "empty bracket expression (write \\] for a literal ])"
          : "'-' must be escaped in a bracket expression unless it joins two characters (write \\-)", p, i);
    }
    if (c == '\\') {
      i++;
      if (i >= p.length()) {
        throw new PatternSyntaxException("unterminated bracket expression", p, open);
      }
    }
    i += Character.charCount(p.codePointAt(i));
    if (i >= p.length()) {
      throw new PatternSyntaxException("unterminated bracket expression", p, open);
    }
    return i;
  }

  /** Repeated stars match what one does; dropping them keeps matching linear and simple. */
  private static void add(List<Element> out, Element e) {
    if (!out.isEmpty() && out.get(out.size() - 1).kind == e.kind && e.kind != REST) {
      return;
    }
    out.add(e);
  }

  /** A bracket expression in Go's regexp syntax; returns the index after its {@code ]}. */
  private static int bracket(String pattern, int open, List<Element> out) {
    int n = pattern.length();
    int i = open + 1;
    boolean negated = i < n && pattern.charAt(i) == '^';
    if (negated) {
      i++;
    }
    List<Integer> ranges = new ArrayList<>();
    boolean first = true;
    while (true) {
      if (i >= n) {
        throw new PatternSyntaxException("missing closing ]", pattern, open);
      }
      char c = pattern.charAt(i);
      if (c == ']' && !first) {
        int[] r = new int[ranges.size()];
        for (int k = 0; k < r.length; k++) {
          r[k] = ranges.get(k);
        }
        out.add(new Element(CLASS, 0, r, negated));
        return i + 1;
      }
      first = false;
      if (pattern.startsWith("[:", i)) {
        int end = pattern.indexOf(":]", i + 2);
        int[] named = end < 0 ? null : POSIX_CLASSES.get(pattern.substring(i + 2, end));
        if (named == null) {
          throw new PatternSyntaxException("invalid character class", pattern, i);
        }
        for (int v : named) {
          ranges.add(v);
        }
        i = end + 2;
        continue;
      }
      int lo = member(pattern, i);
      i += (c == '\\' ? 1 : 0) + Character.charCount(lo);
      int hi = lo;
      if (i + 1 < n && pattern.charAt(i) == '-' && pattern.charAt(i + 1) != ']') {
        hi = member(pattern, i + 1);
        i += 1 + (pattern.charAt(i + 1) == '\\' ? 1 : 0) + Character.charCount(hi);
        if (hi < lo) {
          throw new PatternSyntaxException("invalid character class range", pattern, i);
        }
      }
      ranges.add(lo);
      ranges.add(hi);
    }
  }

  private static int member(String pattern, int i) {
    if (pattern.charAt(i) == '\\') {
      if (i + 1 >= pattern.length()) {
        throw new PatternSyntaxException("trailing backslash", pattern, i);
      }
      return pattern.codePointAt(i + 1);
    }
    return pattern.codePointAt(i);
  }

  /**
   * Whether the whole path matches: the set of positions the elements so far can end at is
   * carried along the path, one element at a time.
   */
  boolean matches(CharSequence path) {
    int[] s = path.codePoints().toArray();
    int n = s.length;
    boolean[] cur = new boolean[n + 1];
    boolean[] next = new boolean[n + 1];
    cur[0] = true;
    for (Element e : elements) {
      boolean any = false;
      switch (e.kind) {
        case STAR:
        case REST: {
          int stop = e.kind == STAR ? '/' : '\n';
          next[0] = cur[0];
          for (int j = 1; j <= n; j++) {
            next[j] = cur[j] || next[j - 1] && s[j - 1] != stop;
          }
          break;
        }
        case DIRS: {
          // (.*/)? : stay, or run (not across a newline) up to and including a '/'.
          boolean run = cur[0];
          next[0] = cur[0];
          for (int j = 1; j <= n; j++) {
            next[j] = cur[j] || run && s[j - 1] == '/';
            run = cur[j] || run && s[j - 1] != '\n';
          }
          break;
        }
        default:
          next[0] = false;
          for (int j = 1; j <= n; j++) {
            next[j] = cur[j - 1] && one(e, s[j - 1]);
          }
      }
      for (int j = 0; j <= n; j++) {
        any |= next[j];
      }
      if (!any) {
        return false;
      }
      boolean[] t = cur;
      cur = next;
      next = t;
    }
    return cur[n];
  }

  private static boolean one(Element e, int c) {
    switch (e.kind) {
      case CHAR:
        return c == e.codePoint;
      case ANY:
        return c != '/';
      default:
        boolean in = false;
        for (int k = 0; k + 1 < e.ranges.length && !in; k += 2) {
          in = c >= e.ranges[k] && c <= e.ranges[k + 1];
        }
        return in != e.negated;
    }
  }
}
