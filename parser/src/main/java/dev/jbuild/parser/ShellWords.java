package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The shell-word engine behind {@link ShellExpander} and heredoc detection, following the
 * semantics of BuildKit's Dockerfile shell lexer: quotes, the escape character, {@code $}
 * substitutions, and word splitting on unquoted blanks (including blanks that come from an
 * unquoted variable value).
 *
 * <p>The options exist for the parser's own use: heredoc detection needs the words with their
 * quotes and escapes still in them ({@code rawQuotes}, {@code rawEscapes}) and unset variables
 * left as written ({@code keepUnset}).
 */
final class ShellWords {
  private static final int EOF = -1;

  /** A lookup where every variable is unset. */
  static final Function<String, String> NO_VARIABLES = new NoVariables();

  // A class rather than a lambda: the first lambda of a JVM costs a bootstrap at startup.
  private static final class NoVariables implements Function<String, String> {
    @Override
    public String apply(String name) {
      return null;
    }
  }

  private final char escape;
  private final boolean rawQuotes;
  private final boolean rawEscapes;
  private final boolean keepUnset;

  ShellWords(char escape, boolean rawQuotes, boolean rawEscapes, boolean keepUnset) {
    this.escape = escape;
    this.rawQuotes = rawQuotes;
    this.rawEscapes = rawEscapes;
    this.keepUnset = keepUnset;
  }

  /** The text as one word: quotes removed, escapes processed, variables substituted. */
  String word(String text, Function<String, String> lookup) throws ExpansionException {
    return new Scan(text, lookup).processUntil(null, rawEscapes).text;
  }

  /** The text split into words on unquoted blanks, each expanded as by {@link #word}. */
  List<String> words(String text, Function<String, String> lookup) throws ExpansionException {
    return new Scan(text, lookup).processUntil(null, rawEscapes).words.finish();
  }

  /** Go's unicode.IsSpace, which is what BuildKit splits on. */
  static boolean isSpace(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r'
        || c == '\u0085' || c == '\u00A0' || (c > 0xff && Character.isSpaceChar(c));
  }

  /** Accumulates words; a character added "raw" never splits (quoted or escaped). */
  private static final class Collector {
    private final List<String> words = new ArrayList<>();
    private final StringBuilder word = new StringBuilder();
    private boolean inWord;

    void addChar(char c) {
      if (isSpace(c)) {
        if (inWord && word.length() > 0) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        addRawChar(c);
      }
    }

    void addRawChar(char c) {
      word.append(c);
      inWord = true;
    }

    void addString(String s) {
      for (int i = 0; i < s.length(); i++) {
        addChar(s.charAt(i));
      }
    }

    void addRawString(String s) {
      word.append(s);
      inWord = true;
    }

    List<String> finish() {
      if (word.length() > 0) {
        words.add(word.toString());
        word.setLength(0);
        inWord = false;
      }
      return words;
    }
  }

  private record Piece(String text, Collector words) {}

  /** One pass over one text. */
  private final class Scan {
    private final String src;
    private final Function<String, String> lookup;
    private int pos;
    /** BuildKit's sw.rawEscapes: set for the span of a pattern, seen by double quotes too. */
    private boolean raw = rawEscapes;

    Scan(String src, Function<String, String> lookup) {
      this.src = src;
      this.lookup = lookup;
    }

    private int peek() {
      return pos < src.length() ? src.charAt(pos) : EOF;
    }

    private int next() {
      return pos < src.length() ? src.charAt(pos++) : EOF;
    }

    /**
     * Processes until one of {@code stops} (consumed) or the end of the text. Inside
     * {@code ${…}} the caller passes its stop characters; reaching the end then is an error.
     */
    Piece processUntil(String stops, boolean keepEscapes) throws ExpansionException {
      boolean saved = raw;
      raw = keepEscapes;
      try {
        return scanUntil(stops);
      } finally {
        raw = saved;
      }
    }

    private Piece scanUntil(String stops) throws ExpansionException {
      boolean keepEscapes = raw;
      StringBuilder result = new StringBuilder();
      Collector words = new Collector();
      while (peek() != EOF) {
        int c = peek();
        if (stops != null && stops.indexOf(c) >= 0) {
          return new Piece(result.toString(), words);
        }
        if (c == '$') {
          String value = dollar();
          result.append(value);
          words.addString(value);
        } else if (c == '\'') {
          String value = singleQuoted();
          result.append(value);
          words.addRawString(value);
        } else if (c == '"') {
          String value = doubleQuoted();
          result.append(value);
          words.addRawString(value);
        } else {
          next();
          if (c == escape) {
            if (keepEscapes) {
              words.addRawChar((char) c);
              result.append((char) c);
            }
            c = next();
            if (c == EOF) {
              break; // a lone escape at the end of the word is dropped
            }
            words.addRawChar((char) c);
          } else {
            words.addChar((char) c);
          }
          result.append((char) c);
        }
      }
      if (stops != null) {
        throw new ExpansionException("syntax error: missing '}'");
      }
      return new Piece(result.toString(), words);
    }

    private String singleQuoted() throws ExpansionException {
      StringBuilder out = new StringBuilder();
      int c = next();
      if (rawQuotes) {
        out.append((char) c);
      }
      while (true) {
        c = next();
        if (c == EOF) {
          throw new ExpansionException(
              "unexpected end of statement while looking for matching single-quote");
        }
        if (c == '\'') {
          if (rawQuotes) {
            out.append((char) c);
          }
          return out.toString();
        }
        out.append((char) c);
      }
    }

    private String doubleQuoted() throws ExpansionException {
      StringBuilder out = new StringBuilder();
      int c = next();
      if (rawQuotes) {
        out.append((char) c);
      }
      while (true) {
        int p = peek();
        if (p == EOF) {
          throw new ExpansionException(
              "unexpected end of statement while looking for matching double-quote");
        }
        if (p == '"') {
          next();
          if (rawQuotes) {
            out.append('"');
          }
          return out.toString();
        }
        if (p == '$') {
          out.append(dollar());
          continue;
        }
        c = next();
        if (c == escape) {
          if (raw) {
            out.append((char) c);
          }
          int q = peek();
          if (q == EOF) {
            continue; // reported as the missing quote on the next turn
          }
          // Only these are escapable inside double quotes; other escapes stay literal.
          if (q == '"' || q == '$' || q == escape) {
            c = next();
          } else if (raw) {
            continue;
          }
        }
        out.append((char) c);
      }
    }

    private String dollar() throws ExpansionException {
      next(); // '$'
      if (peek() != '{') {
        String name = name();
        if (name.isEmpty()) {
          return "$";
        }
        String value = lookup.apply(name);
        if (value == null) {
          return keepUnset ? "$" + name : "";
        }
        return value;
      }
      next(); // '{'
      int p = peek();
      if (p == EOF) {
        throw new ExpansionException("syntax error: missing '}'");
      }
      if (p == '{' || p == '}' || p == ':') {
        throw new ExpansionException("syntax error: bad substitution");
      }
      String name = name();
      int c = next();
      if (c == EOF) {
        throw new ExpansionException("syntax error: missing '}'");
      }
      if (name.isEmpty()) {
        throw new ExpansionException("syntax error: bad substitution");
      }
      String value = lookup.apply(name);
      if (c == '}') {
        if (value == null) {
          return keepUnset ? "${" + name + "}" : "";
        }
        return value;
      }
      if (c == '/') {
        return replacement(name, value);
      }
      boolean nullIsUnset = false;
      String op = String.valueOf((char) c);
      if (c == ':') {
        nullIsUnset = true;
        c = next();
        if (c == EOF) {
          throw new ExpansionException("syntax error: missing '}'");
        }
        op += (char) c;
      }
      // As BuildKit: ${V:#p} and ${V:%p} are refused before the word is read.
      if (c != '-' && c != '+' && c != '?' && c != '#' && c != '%'
          || nullIsUnset && (c == '#' || c == '%')) {
        throw unsupported(op, name);
      }
      // Pattern words keep their escapes so that the pattern can quote * and ?.
      boolean pattern = c == '#' || c == '%';
      String word = processUntil("}", pattern).text;
      next(); // '}'
      if (value == null && keepUnset) {
        return "${" + name + op + word + "}";
      }
      boolean unset = value == null || nullIsUnset && value.isEmpty();
      switch (c) {
        case '-':
          return unset ? word : value;
        case '+':
          return unset ? "" : word;
        case '?':
          if (unset) {
            String reason = value == null ? "is not allowed to be unset" : "is not allowed to be empty";
            throw new ExpansionException(name + ": " + (word.isEmpty() ? reason : word));
          }
          return value;
        case '#':
        case '%':
          // # and % the shortest match, ## and %% the longest.
          String v = value == null ? "" : value;
          boolean longest = !word.isEmpty() && word.charAt(0) == c;
          String glob = longest ? word.substring(1) : word;
          try {
            return c == '#' ? ShellPattern.compile(glob, longest, true).trimPrefix(v)
                : ShellPattern.trimSuffix(glob, v, longest);
          } catch (IllegalArgumentException e) {
            throw invalidPattern(glob, e);
          }
        default:
          throw unsupported(op, name);
      }
    }

    private ExpansionException unsupported(String op, String name) {
      return new ExpansionException(
          "syntax error: bad substitution: unsupported modifier (" + op + ") in ${" + name + "}");
    }

    private ExpansionException invalidPattern(String pattern, IllegalArgumentException e) {
      return new ExpansionException("invalid pattern (" + pattern + ") in substitution: " + e.getMessage());
    }

    /**
     * {@code ${V/p/r}}, {@code ${V//p/r}} as BuildKit: the pattern runs to the next unescaped
     * {@code /} (a missing one is an error, so {@code ${V/p}} is one), the replacement to
     * {@code }}, both keeping their escapes; {@code //} replaces every match, its replacement
     * read as a Go template.
     */
    private String replacement(String name, String value) throws ExpansionException {
      boolean all = peek() == '/';
      if (all) {
        next();
      }
      String pattern;
      try {
        pattern = processUntil("/", true).text;
      } catch (ExpansionException e) {
        throw peek() == EOF ? new ExpansionException("syntax error: missing '/' in ${}") : e;
      }
      next(); // '/'
      String with = processUntil("}", true).text;
      next(); // '}'
      if (value == null && keepUnset) {
        return "${" + name + "/" + pattern + "/" + with + "}";
      }
      ShellPattern compiled;
      try {
        compiled = ShellPattern.compile(pattern, true, false);
      } catch (IllegalArgumentException e) {
        throw invalidPattern(pattern, e);
      }
      String v = value == null ? "" : value;
      return all ? compiled.replaceAll(v, with) : compiled.replaceFirst(v, with);
    }

    /** A variable name, a run of digits (positional) or one special parameter character. */
    private String name() {
      int start = pos;
      int c = peek();
      if (c == EOF) {
        return "";
      }
      if (Character.isDigit(c)) {
        while (peek() != EOF && Character.isDigit(peek())) {
          next();
        }
        return src.substring(start, pos);
      }
      if ("@*#?-$!".indexOf(c) >= 0) {
        next();
        return String.valueOf((char) c);
      }
      while (peek() != EOF && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
        next();
      }
      return src.substring(start, pos);
    }
  }
}
