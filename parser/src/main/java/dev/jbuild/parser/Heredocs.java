package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds here-document markers ({@code <<EOF}, {@code <<-EOF}, {@code <<"EOF"}) the way BuildKit
 * does: a marker is a whole shell word of the instruction line, its delimiter is that word with
 * quotes removed, and any quote in it turns expansion of the content off.
 */
final class Heredocs {
  /** A marker found on an instruction line; {@code word} is as written (quotes kept). */
  record Marker(String word, String name, boolean expand, boolean chomp) {}

  private static final Pattern MARKER = Pattern.compile("^(\\d*)<<(-?)([^<]*)$");
  private static final Pattern LEADING_TABS = Pattern.compile("(?m)^\t+");
  private static final Function<String, String> NO_VARIABLES = ShellWords.NO_VARIABLES;

  // Markers are always read with backslash escapes, whatever the escape directive (BuildKit).
  private static final ShellWords RAW_WORDS = new ShellWords('\\', true, true, false);
  private static final ShellWords NAME = new ShellWords('\\', false, false, true);
  private static final ShellWords RAW_NAME = new ShellWords('\\', true, false, true);

  private Heredocs() {}

  /** Whether a keyword can carry heredocs (ONBUILD only through its trigger). */
  static boolean allowedFor(String keyword) {
    return keyword.equalsIgnoreCase("RUN") || keyword.equalsIgnoreCase("COPY")
        || keyword.equalsIgnoreCase("ADD");
  }

  /** The markers on a logical instruction line, in order; none if the line does not lex. */
  static List<Marker> markersIn(String line) {
    List<Marker> markers = new ArrayList<>();
    if (!line.contains("<<")) {
      return markers;
    }
    List<String> words;
    try {
      words = RAW_WORDS.words(line, NO_VARIABLES);
    } catch (ExpansionException e) {
      return markers;
    }
    for (String word : words) {
      Marker m = parse(word);
      if (m != null) {
        markers.add(m);
      }
    }
    return markers;
  }

  /** The marker a single word is, or null if it is not one. */
  static Marker parse(String word) {
    Matcher m = MARKER.matcher(word);
    if (!m.matches() || m.group(3).isEmpty()) {
      return null;
    }
    String rest = m.group(3);
    try {
      List<String> plain = NAME.words(rest, NO_VARIABLES);
      if (plain.size() != 1) {
        return null;
      }
      List<String> raw = RAW_NAME.words(rest, NO_VARIABLES);
      if (raw.size() != 1) {
        return null;
      }
      boolean expand = quotes(plain.get(0)) == quotes(raw.get(0));
      return new Marker(word, plain.get(0), expand, m.group(2).equals("-"));
    } catch (ExpansionException e) {
      return null;
    }
  }

  private static int quotes(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
        n++;
      }
    }
    return n;
  }

  /** {@code <<-}: leading tabs removed from every line. */
  static String chomp(String content) {
    return LEADING_TABS.matcher(content).replaceAll("");
  }

  /** Whether a body line ends a heredoc. */
  static boolean isTerminator(String line, Marker marker) {
    String candidate = line;
    if (marker.chomp()) {
      int i = 0;
      while (i < candidate.length() && candidate.charAt(i) == '\t') {
        i++;
      }
      candidate = candidate.substring(i);
    }
    return candidate.equals(marker.name());
  }
}
