package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Cuts one joined instruction line into a {@link Node} with the per-keyword line rules of
 * BuildKit's parser. Its only errors are the ones BuildKit's parser has: a JSON array with
 * non-strings, and ENV/LABEL pairs it cannot split.
 */
final class NodeBuilder {
  private final SourceText source;
  private final char escape;

  NodeBuilder(SourceText source, char escape) {
    this.source = source;
    this.escape = escape;
  }

  Node build(LogicalLine line) throws DockerfileException {
    SourceRange where = line.rangeToEnd(source, 0);
    return node(line.text(), line.heredocs(), where);
  }

  private Node node(String line, List<Heredoc> heredocs, SourceRange where) throws DockerfileException {
    String trimmed = AstDump.goTrimSpace(line);
    int k = 0;
    while (k < trimmed.length() && !Words.isBlank(trimmed.charAt(k))) {
      k++;
    }
    String keyword = trimmed.substring(0, k);
    List<String> flags = new ArrayList<>();
    String args = "";
    if (k < trimmed.length()) {
      int restStart = k;
      while (restStart < trimmed.length() && Words.isBlank(trimmed.charAt(restStart))) {
        restStart++;
      }
      args = AstDump.goTrimSpace(extractFlags(trimmed.substring(restStart), flags));
    }
    List<String> values = new ArrayList<>();
    Optional<Node> child = Optional.empty();
    boolean json = false;
    switch (keyword.toLowerCase(Locale.ROOT)) {
      case "add": case "copy": case "volume":
        json = maybeJson(args, true, values, where);
        break;
      case "cmd": case "entrypoint": case "run": case "shell":
        json = maybeJson(args, false, values, where);
        break;
      case "arg":
        for (Words.Word w : Words.quoteAware(args, 0, args.length(), escape)) {
          values.add(w.text());
        }
        break;
      case "env":
        nameValues(args, "ENV", values, where);
        break;
      case "label":
        nameValues(args, "LABEL", values, where);
        break;
      case "expose": case "from":
        values.addAll(blankSeparated(args));
        break;
      case "maintainer": case "stopsignal": case "user": case "workdir":
        if (!args.isEmpty()) {
          values.add(args);
        }
        break;
      case "healthcheck":
        json = health(args, values, where);
        break;
      case "onbuild":
        if (!args.isEmpty()) {
          child = Optional.of(node(args, heredocs, where));
        }
        break;
      default:
        values.add(""); // BuildKit keeps an unknown instruction with one empty node
    }
    int start = where.startLine();
    return new Node(keyword, flags, values, child, json, heredocs, line, start, where.endLine());
  }

  /** A JSON array of strings, else one node (or blank-separated nodes for COPY, ADD, VOLUME). */
  private boolean maybeJson(String rest, boolean toList, List<String> out, SourceRange where)
      throws DockerfileException {
    if (rest.isEmpty()) {
      return false;
    }
    List<String> json = jsonStrings(rest, where);
    if (json != null) {
      out.addAll(json);
      return true;
    }
    if (toList) {
      out.addAll(blankSeparated(rest));
    } else {
      out.add(rest);
    }
    return false;
  }

  private List<String> jsonStrings(String rest, SourceRange where) throws DockerfileException {
    String s = AstDump.goTrimSpace(rest);
    if (!s.startsWith("[")) {
      return null;
    }
    DockerfileGrammar.JsonArrayContext array = GrammarRunner.jsonArray(s);
    if (array == null) {
      return null;
    }
    JsonArrays.Decoded decoded = JsonArrays.decode(array);
    if (decoded.kind() == JsonArrays.Kind.NOT_STRINGS) {
      throw source.error(where, JsonArrays.NOT_STRINGS_MESSAGE);
    }
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
  private void nameValues(String rest, String keyword, List<String> out, SourceRange where)
      throws DockerfileException {
    List<Words.Word> words = Words.quoteAware(rest, 0, rest.length(), escape);
    if (words.isEmpty()) {
      return;
    }
    if (!words.get(0).text().contains("=")) {
      List<Words.Word> parts = Words.byBlanks(rest, 0, rest.length());
      if (parts.size() < 2) {
        throw source.error(where, keyword + " must have two arguments");
      }
      int valueStart = parts.get(0).end();
      while (valueStart < rest.length() && Words.isBlank(rest.charAt(valueStart))) {
        valueStart++;
      }
      out.add(parts.get(0).text());
      out.add(rest.substring(valueStart));
      out.add("");
      return;
    }
    for (Words.Word w : words) {
      int eq = w.text().indexOf('=');
      if (eq < 0) {
        throw source.error(where, "Syntax error - can't find = in " + GoQuote.quote(w.text())
            + ". Must be of the form: name=value");
      }
      out.add(w.text().substring(0, eq));
      out.add(w.text().substring(eq + 1));
      out.add("=");
    }
  }

  /** HEALTHCHECK: the type word, then the command as for CMD. */
  private boolean health(String rest, List<String> out, SourceRange where) throws DockerfileException {
    int sep = 0;
    while (sep < rest.length() && !ShellWords.isSpace(rest.charAt(sep))) {
      sep++;
    }
    if (sep == 0) {
      return false;
    }
    int next = sep;
    while (next < rest.length() && ShellWords.isSpace(rest.charAt(next))) {
      next++;
    }
    out.add(rest.substring(0, sep));
    return maybeJson(rest.substring(next), false, out, where);
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
}
