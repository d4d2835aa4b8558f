package dev.jbuild.parser;

import java.util.Arrays;

/**
 * The wildcard patterns of {@code ${V#p}}, {@code ${V%p}} and {@code ${V/p/r}} as BuildKit's
 * shell lexer reads them: {@code *} any string, {@code ?} one character (neither matches a
 * newline), {@code \*}, {@code \?}, {@code \\} literal, {@code \/} and {@code \}} the bare
 * character, any other escape an error; everything else, brackets included, is literal.
 * BuildKit turns the pattern into a Go regular expression with leftmost-first semantics; this
 * class matches the same way with a Pike VM, so the time is linear in the value's length (no
 * backtracking on multi-kilobyte values).
 */
final class ShellPattern {
  private static final int CHAR = 0;
  private static final int ANY = 1;
  private static final int SPLIT = 2;
  private static final int JMP = 3;
  private static final int MATCH = 4;

  // Program: op[i], and arg[i] / alt[i] (CHAR: code point; SPLIT: preferred, other; JMP: target).
  private final int[] op;
  private final int[] arg;
  private final int[] alt;
  private final boolean anchored;

  private ShellPattern(int[] op, int[] arg, int[] alt, boolean anchored) {
    this.op = op;
    this.arg = arg;
    this.alt = alt;
    this.anchored = anchored;
  }

  /**
   * @param greedy {@code *} takes the longest string (else the shortest)
   * @param anchored matches only at the start of the searched text
   * @throws IllegalArgumentException for an escape other than the ones above
   */
  static ShellPattern compile(String pattern, boolean greedy, boolean anchored) {
    int[] cps = pattern.codePoints().toArray();
    int cap = cps.length * 3 + 1;
    int[] op = new int[cap];
    int[] arg = new int[cap];
    int[] alt = new int[cap];
    int n = 0;
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      if (c == '*') {
        if (i > 0 && cps[i - 1] == '*' && (i < 2 || cps[i - 2] != '\\')) {
          continue; // ** matches what * matches, and the VM stays shallow
        }
        int split = n++;
        op[n] = ANY;
        int any = n++;
        op[n] = JMP;
        arg[n++] = split;
        op[split] = SPLIT;
        arg[split] = greedy ? any : n;
        alt[split] = greedy ? n : any;
        continue;
      }
      if (c == '?') {
        op[n++] = ANY;
        continue;
      }
      if (c == '\\') {
        if (i + 1 < cps.length && (cps[i + 1] == '}' || cps[i + 1] == '/')) {
          continue; // the escape only kept } or / from ending the ${…} part
        }
        if (i + 1 >= cps.length) {
          throw new IllegalArgumentException("invalid escape '\\' at the end of the pattern");
        }
        c = cps[++i];
        if (c != '*' && c != '?' && c != '\\') {
          throw new IllegalArgumentException("invalid escape '\\" + new String(Character.toChars(c)) + "'");
        }
      }
      op[n] = CHAR;
      arg[n++] = c;
    }
    op[n++] = MATCH;
    return new ShellPattern(Arrays.copyOf(op, n), Arrays.copyOf(arg, n), Arrays.copyOf(alt, n), anchored);
  }

  /**
   * The leftmost-first match in {@code text} at or after {@code from}, as {@code {start, end}}
   * code-point indices, or null.
   */
  int[] find(int[] text, int from) {
    int m = op.length;
    Threads current = new Threads(m);
    Threads next = new Threads(m);
    int matchStart = -1;
    int matchEnd = -1;
    for (int i = from; ; i++) {
      if (matchStart < 0 && (!anchored || i == from)) {
        add(current, 0, i, i, text); // lowest priority: a match starting later
      }
      if (current.size == 0) {
        break;
      }
      for (int k = 0; k < current.size; k++) {
        int pc = current.pc[k];
        int start = current.start[k];
        if (op[pc] == MATCH) {
          matchStart = start;
          matchEnd = i;
          break; // threads after this one have lower priority
        }
        if (i < text.length && (op[pc] == ANY ? text[i] != '\n' : text[i] == arg[pc])) {
          add(next, pc + 1, start, i + 1, text);
        }
      }
      Threads t = current;
      current = next;
      next = t;
      next.clear();
      if (i >= text.length) {
        break;
      }
    }
    return matchStart < 0 ? null : new int[] {matchStart, matchEnd};
  }

  /** {@code ${V//p/r}}: Go's {@code ReplaceAllString}, the replacement a Go template ({@code $0}, {@code $$}). */
  String replaceAll(String value, String template) {
    int[] text = value.codePoints().toArray();
    StringBuilder out = new StringBuilder();
    int lastMatchEnd = 0;
    int searchPos = 0;
    while (searchPos <= text.length) {
      int[] m = find(text, searchPos);
      if (m == null) {
        break;
      }
      append(out, text, lastMatchEnd, m[0]);
      // As Go: no replacement for an empty match right after the previous match.
      if (m[1] > lastMatchEnd || m[0] == 0) {
        expandTemplate(out, template, text, m);
      }
      lastMatchEnd = m[1];
      searchPos = Math.max(searchPos + 1, m[1]);
    }
    append(out, text, lastMatchEnd, text.length);
    return out.toString();
  }

  /** {@code ${V/p/r}}: the first match replaced by the replacement as it is. */
  String replaceFirst(String value, String replacement) {
    int[] text = value.codePoints().toArray();
    int[] m = find(text, 0);
    if (m == null) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    append(out, text, 0, m[0]);
    out.append(replacement);
    append(out, text, m[1], text.length);
    return out.toString();
  }

  /** {@code ${V#p}}: the value after the match at its start (compile anchored). */
  String trimPrefix(String value) {
    int[] text = value.codePoints().toArray();
    int[] m = find(text, 0);
    if (m == null) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    append(out, text, m[1], text.length);
    return out.toString();
  }

  /** {@code ${V%p}}: as BuildKit, a prefix trim of the reversed value by the reversed pattern. */
  static String trimSuffix(String pattern, String value, boolean greedy) {
    String reversed = new StringBuilder(value).reverse().toString();
    String trimmed = compile(reversePattern(pattern), greedy, true).trimPrefix(reversed);
    return new StringBuilder(trimmed).reverse().toString();
  }

  /** The pattern backwards, an escape staying in front of the character it escapes. */
  private static String reversePattern(String pattern) {
    int[] cps = pattern.codePoints().toArray();
    int[] out = new int[cps.length];
    int last = cps.length - 1;
    for (int i = 0; i <= last; ) {
      int o = last - i;
      if (cps[i] == '\\' && i != last) {
        out[o - 1] = cps[i];
        out[o] = cps[i + 1];
        i += 2;
      } else {
        out[o] = cps[i];
        i++;
      }
    }
    return new String(out, 0, out.length);
  }

  private static void append(StringBuilder out, int[] text, int from, int to) {
    for (int i = from; i < to; i++) {
      out.appendCodePoint(text[i]);
    }
  }

  /**
   * Go's {@code Regexp.Expand} for a pattern without groups: {@code $$} is {@code $},
   * {@code $0} and {@code ${0}} the match, any other {@code $name} empty, a malformed {@code $}
   * itself.
   */
  private static void expandTemplate(StringBuilder out, String template, int[] text, int[] match) {
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      i++;
      if (i < n && template.charAt(i) == '$') {
        out.append('$');
        i++;
        continue;
      }
      boolean brace = i < n && template.charAt(i) == '{';
      int nameStart = brace ? i + 1 : i;
      int j = nameStart;
      while (j < n) {
        int cp = template.codePointAt(j);
        if (!Character.isLetterOrDigit(cp) && cp != '_') {
          break;
        }
        j += Character.charCount(cp);
      }
      if (j == nameStart || brace && (j >= n || template.charAt(j) != '}')) {
        out.append('$'); // malformed: the $ is literal text
        continue;
      }
      if (template.substring(nameStart, j).equals("0")) {
        append(out, text, match[0], match[1]);
      }
      i = brace ? j + 1 : j;
    }
  }

  /** Follows jumps and splits in priority order; a state already in the list keeps its place. */
  private void add(Threads list, int pc, int start, int at, int[] text) {
    if (list.has(pc)) {
      return;
    }
    list.mark(pc);
    if (op[pc] == JMP) {
      add(list, arg[pc], start, at, text);
    } else if (op[pc] == SPLIT) {
      add(list, arg[pc], start, at, text);
      add(list, alt[pc], start, at, text);
    } else {
      list.push(pc, start);
    }
  }

  /** An ordered set of VM states, cleared in O(size). */
  private static final class Threads {
    final int[] pc;
    final int[] start;
    final int[] seen;
    int size;
    int generation = 1;

    Threads(int m) {
      pc = new int[m];
      start = new int[m];
      seen = new int[m];
    }

    boolean has(int p) {
      return seen[p] == generation;
    }

    void mark(int p) {
      seen[p] = generation;
    }

    void push(int p, int s) {
      pc[size] = p;
      start[size++] = s;
    }

    void clear() {
      size = 0;
      generation++;
    }
  }
}
