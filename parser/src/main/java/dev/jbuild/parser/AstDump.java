package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parse tree in the form of BuildKit's {@code Node.Dump()}, for conformance tests: one line
 * per instruction, e.g. {@code (copy ["--from=build"] "a" "b")}, {@code (env "A" "1" "=")},
 * {@code (onbuild (run "make"))}.
 *
 * <p>BuildKit's tree is not this parser's AST: it is the instruction line cut up by per-keyword
 * rules (JSON or blank-separated words, {@code key value separator} triples for ENV and LABEL,
 * quote-aware words for ARG, the rest as one string for RUN/CMD/…). So the dump is rebuilt from
 * the joined instruction lines with those rules, after the file has been fully parsed, so that
 * a file this parser rejects is an error here too. Like BuildKit's, the dump shows heredoc markers
 * where they are written but not the bodies, unless asked to.
 */
public final class AstDump {
  private AstDump() {}

  /** The dump of a Dockerfile: instructions one per line, no trailing newline. */
  public static String dump(String fileName, String text) throws DockerfileException {
    return dump(fileName, text, false);
  }

  /**
   * @param heredocs also print each heredoc body after its instruction, as
   *     {@code (heredoc "EOF" "body\n")} (not part of BuildKit's format)
   */
  public static String dump(String fileName, String text, boolean heredocs) throws DockerfileException {
    Dockerfile parsed = DockerfileParser.parse(fileName, text);
    String body = text == null ? "" : text;
    if (body.startsWith("\uFEFF")) {
      body = body.substring(1);
    }
    LineJoiner.Result joined = LineJoiner.join(new SourceText(parsed.fileName(), body));
    StringBuilder out = new StringBuilder();
    for (LogicalLine line : joined.lines()) {
      out.append('(').append(node(line.text(), joined.escape())).append(")\n");
      if (heredocs) {
        for (Heredoc h : line.heredocs()) {
          out.append("(heredoc ").append(GoQuote.quote(h.name())).append(' ')
              .append(GoQuote.quote(h.content())).append(")\n");
        }
      }
    }
    return out.toString().strip();
  }

  /** One instruction: keyword, flags, then its argument nodes. */
  static String node(String line, char escape) {
    String trimmed = goTrimSpace(line);
    int k = 0;
    while (k < trimmed.length() && !Words.isBlank(trimmed.charAt(k))) {
      k++;
    }
    String cmd = trimmed.substring(0, k).toLowerCase(Locale.ROOT);
    StringBuilder sb = new StringBuilder(cmd);
    String args = "";
    if (k < trimmed.length()) {
      int restStart = k;
      while (restStart < trimmed.length() && Words.isBlank(trimmed.charAt(restStart))) {
        restStart++;
      }
      List<String> flags = new ArrayList<>();
      args = goTrimSpace(extractFlags(trimmed.substring(restStart), flags));
      if (!flags.isEmpty()) {
        sb.append(' ').append(GoQuote.quoteList(flags));
      }
    }
    for (String value : arguments(cmd, args, escape, sb)) {
      sb.append(' ').append(GoQuote.quote(value));
    }
    return sb.toString();
  }

  /** The argument nodes of a keyword; ONBUILD appends its sub-instruction itself. */
  private static List<String> arguments(String cmd, String rest, char escape, StringBuilder sb) {
    List<String> out = new ArrayList<>();
    switch (cmd) {
      case "add": case "copy": case "volume":
        return maybeJson(rest, true);
      case "cmd": case "entrypoint": case "run": case "shell":
        return maybeJson(rest, false);
      case "arg":
        for (Words.Word w : Words.quoteAware(rest, 0, rest.length(), escape)) {
          out.add(w.text());
        }
        return out;
      case "env": case "label":
        return nameValues(rest, escape);
      case "expose": case "from":
        return blankSeparated(rest);
      case "maintainer": case "stopsignal": case "user": case "workdir":
        if (!rest.isEmpty()) {
          out.add(rest);
        }
        return out;
      case "healthcheck":
        return health(rest);
      case "onbuild":
        if (!rest.isEmpty()) {
          sb.append(" (").append(node(rest, escape)).append(')');
        }
        return out;
      default:
        out.add(""); // BuildKit keeps an unknown instruction with one empty node
        return out;
    }
  }

  /** A JSON array of strings, else one node (or blank-separated nodes for COPY, ADD, VOLUME). */
  private static List<String> maybeJson(String rest, boolean toList) {
    if (rest.isEmpty()) {
      return List.of();
    }
    List<String> json = jsonStrings(rest);
    if (json != null) {
      return json;
    }
    return toList ? blankSeparated(rest) : List.of(rest);
  }

  private static List<String> jsonStrings(String rest) {
    String s = goTrimSpace(rest);
    if (!s.startsWith("[")) {
      return null;
    }
    DockerfileGrammar.JsonArrayContext array = GrammarRunner.jsonArray(s);
    if (array == null) {
      return null;
    }
    JsonArrays.Decoded decoded = JsonArrays.decode(array);
    return decoded.kind() == JsonArrays.Kind.STRINGS ? decoded.strings() : null;
  }

  private static List<String> blankSeparated(String rest) {
    List<String> out = new ArrayList<>();
    if (rest.isEmpty()) {
      return out;
    }
    for (Words.Word w : Words.byBlanks(rest, 0, rest.length())) {
      out.add(w.text());
    }
    return out;
  }

  /** ENV, LABEL: {@code key value sep} per pair, sep {@code =} or empty for the legacy form. */
  private static List<String> nameValues(String rest, char escape) {
    List<String> out = new ArrayList<>();
    List<Words.Word> words = Words.quoteAware(rest, 0, rest.length(), escape);
    if (words.isEmpty()) {
      return out;
    }
    if (!words.get(0).text().contains("=")) {
      List<Words.Word> parts = Words.byBlanks(rest, 0, rest.length());
      int valueStart = parts.get(0).end();
      while (valueStart < rest.length() && Words.isBlank(rest.charAt(valueStart))) {
        valueStart++;
      }
      out.add(parts.get(0).text());
      out.add(rest.substring(valueStart));
      out.add("");
      return out;
    }
    for (Words.Word w : words) {
      int eq = w.text().indexOf('=');
      out.add(w.text().substring(0, eq));
      out.add(w.text().substring(eq + 1));
      out.add("=");
    }
    return out;
  }

  /** HEALTHCHECK: the type word, then the command as for CMD. */
  private static List<String> health(String rest) {
    int sep = 0;
    while (sep < rest.length() && !ShellWords.isSpace(rest.charAt(sep))) {
      sep++;
    }
    if (sep == 0) {
      return List.of();
    }
    int next = sep;
    while (next < rest.length() && ShellWords.isSpace(rest.charAt(next))) {
      next++;
    }
    List<String> out = new ArrayList<>();
    out.add(rest.substring(0, sep));
    out.addAll(maybeJson(rest.substring(next), false));
    return out;
  }

  /**
   * Takes the leading {@code --flags} off an argument text the way BuildKit's flag extraction
   * does (quotes removed, backslash escapes processed, a lone {@code --} ends the flags) and
   * returns the rest.
   */
  static String extractFlags(String line, List<String> flags) {
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean blankOk = false;
    char quote = 0;
    int pos = 0;
    while (true) {
      if (!inWord && quote == 0) {
        while (pos < line.length() && ShellWords.isSpace(line.charAt(pos))) {
          pos++;
        }
        if (pos == line.length()) {
          return "";
        }
        if (!line.startsWith("--", pos)) {
          return line.substring(pos);
        }
        inWord = true;
      }
      if (pos == line.length()) {
        if (!word.toString().equals("--") && (blankOk || word.length() > 0)) {
          flags.add(word.toString());
        }
        return "";
      }
      char ch = line.charAt(pos);
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        } else if (ch == '\\' && pos + 1 == line.length()) {
          quote = 0;
        } else {
          if (ch == '\\') {
            ch = line.charAt(++pos);
          }
          word.append(ch);
        }
        pos++;
        continue;
      }
      if (ShellWords.isSpace(ch)) {
        if (word.toString().equals("--")) {
          return line.substring(pos);
        }
        if (blankOk || word.length() > 0) {
          flags.add(word.toString());
        }
        word.setLength(0);
        blankOk = false;
        inWord = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blankOk = true;
        pos++;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 == line.length()) {
          pos++;
          continue;
        }
        ch = line.charAt(++pos);
      }
      word.append(ch);
      pos++;
    }
  }

  /** Go's strings.TrimSpace. */
  static String goTrimSpace(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && ShellWords.isSpace(s.charAt(a))) {
      a++;
    }
    while (b > a && ShellWords.isSpace(s.charAt(b - 1))) {
      b--;
    }
    return s.substring(a, b);
  }
}
