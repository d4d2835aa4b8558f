package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line-level pass, done in Java because it depends on things a static grammar cannot know:
 * parser directives at the top (the {@code escape} directive changes the continuation
 * character), continuation lines, comment and blank lines (also inside continuations, which
 * BuildKit skips), and heredoc bodies, whose delimiters are chosen by the instruction line.
 */
final class LineJoiner {
  private static final Pattern DIRECTIVE =
      Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
  private static final List<String> KNOWN_DIRECTIVES = List.of("syntax", "escape", "check");

  record Result(Map<String, String> directives, char escape, List<LogicalLine> lines) {}

  private final SourceText source;
  private final Map<String, String> directives = new LinkedHashMap<>();
  private boolean directivesDone;
  private char escape = '\\';

  private LineJoiner(SourceText source) {
    this.source = source;
  }

  static Result join(SourceText source) throws DockerfileException {
    return new LineJoiner(source).run();
  }

  /** BuildKit reads lines with a 64 KiB scanner buffer: a longer line is an error there. */
  private static final int MAX_LINE_BYTES = 65535;

  private void checkLineLengths(int n) throws DockerfileException {
    for (int i = 0; i < n; i++) {
      String line = source.lines.get(i);
      // UTF-8 needs at most 3 bytes per char, so only long lines are measured exactly.
      if (line.length() * 3L > MAX_LINE_BYTES
          && line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LINE_BYTES) {
        throw source.error(source.lineRange(i),
            "dockerfile line greater than max allowed size of " + MAX_LINE_BYTES);
      }
    }
  }

  private Result run() throws DockerfileException {
    List<LogicalLine> out = new ArrayList<>();
    int n = source.lineCount();
    checkLineLengths(n);
    int i = 0;
    while (i < n) {
      String raw = source.lines.get(i);
      int lead = leadingSpace(raw);
      directive(i, raw.substring(lead));
      if (lead == raw.length() || raw.charAt(lead) == '#') {
        i++;
        continue;
      }
      Joined joined = new Joined();
      boolean more = joined.add(i, lead, raw);
      int last = i;
      i++;
      while (more && i < n) {
        String next = source.lines.get(i);
        int nextLead = leadingSpace(next);
        i++;
        if (nextLead == next.length() || next.charAt(nextLead) == '#') {
          continue; // BuildKit drops blank and comment lines inside a continuation
        }
        more = joined.add(i - 1, 0, next);
        last = i - 1;
      }
      if (joined.isBlank()) {
        continue;
      }
      String text = joined.text();
      List<Heredoc> heredocs = List.of();
      if (text.contains("<<") && canHaveHeredocs(text)) {
        List<Heredocs.Marker> markers = Heredocs.markersIn(text);
        if (!markers.isEmpty()) {
          heredocs = new ArrayList<>();
          for (Heredocs.Marker marker : markers) {
            i = readHeredoc(marker, i, joined, heredocs);
          }
          heredocs = List.copyOf(heredocs);
        }
      }
      out.add(new LogicalLine(text, joined.offsets(), last, heredocs));
    }
    return new Result(directives, escape, out);
  }

  /** Reads one heredoc body starting at physical line {@code i}; returns the line after it. */
  private int readHeredoc(Heredocs.Marker marker, int i, Joined joined, List<Heredoc> into)
      throws DockerfileException {
    StringBuilder content = new StringBuilder();
    int n = source.lineCount();
    while (i < n) {
      String line = source.lines.get(i++);
      if (Heredocs.isTerminator(line, marker)) {
        String body = marker.chomp() ? Heredocs.chomp(content.toString()) : content.toString();
        into.add(new Heredoc(marker.name(), body, marker.expand(), marker.chomp()));
        return i;
      }
      content.append(line).append('\n');
    }
    int at = joined.text().indexOf(marker.word());
    SourceRange where = at >= 0
        ? source.range(joined.offset(at), joined.offset(at) + marker.word().length())
        : source.range(joined.offset(0), joined.offset(0) + 1);
    throw source.error(where, "unterminated heredoc: no line \"" + marker.name()
        + "\" closes it before the end of the file");
  }

  /** RUN, COPY and ADD carry heredocs, and so does ONBUILD through such a trigger. */
  private static boolean canHaveHeredocs(String text) {
    List<Words.Word> words = Words.byBlanks(text, 0, Math.min(text.length(), 64));
    if (words.isEmpty()) {
      return false;
    }
    String first = words.get(0).text();
    if (Heredocs.allowedFor(first)) {
      return true;
    }
    return first.equalsIgnoreCase("ONBUILD") && words.size() > 1
        && Heredocs.allowedFor(words.get(1).text());
  }

  /** Directives are read only until the first line that is not one (BuildKit). */
  private void directive(int line, String trimmed) throws DockerfileException {
    if (directivesDone) {
      return;
    }
    Matcher m = DIRECTIVE.matcher(trimmed);
    if (!m.matches()) {
      directivesDone = true;
      return;
    }
    String key = m.group(1).toLowerCase(Locale.ROOT);
    if (!KNOWN_DIRECTIVES.contains(key)) {
      directivesDone = true;
      return;
    }
    if (directives.containsKey(key)) {
      throw source.error(source.lineRange(line), "only one " + key + " parser directive can be used");
    }
    String value = m.group(2);
    if (key.equals("escape")) {
      if (!value.equals("\\") && !value.equals("`")) {
        throw source.error(source.lineRange(line),
            "invalid escape token '" + value + "' does not match ` or \\");
      }
      escape = value.charAt(0);
    }
    directives.put(key, value);
  }

  /**
   * Where the continuation escape of a physical line is (the line is read from {@code from}), or
   * -1 if the line does not continue. As BuildKit: the escape may be followed by blanks, and an
   * escape preceded by another escape (an escaped escape) ends the instruction.
   */
  static int continuation(String raw, int from, char escape) {
    int k = raw.length();
    while (k > from && (raw.charAt(k - 1) == ' ' || raw.charAt(k - 1) == '\t')) {
      k--;
    }
    if (k > from && raw.charAt(k - 1) == escape && (k - 1 == from || raw.charAt(k - 2) != escape)) {
      return k - 1;
    }
    return -1;
  }

  /** An instruction's logical text rebuilt from its {@link Instruction#original()}. */
  record Rejoined(String text, boolean emptyContinuation) {}

  /**
   * Joins an instruction's original lines the way {@link #join} did: continuation escapes removed,
   * comment and blank lines inside the continuation dropped (blank ones noted, for the
   * NoEmptyContinuation check).
   */
  static Rejoined rejoin(String original, char escape) {
    String[] lines = original.split("\n", -1);
    StringBuilder text = new StringBuilder();
    boolean empty = false;
    boolean more = true;
    for (int i = 0; i < lines.length && more; i++) {
      String line = lines[i];
      int end = line.length();
      while (end > 0 && line.charAt(end - 1) == '\r') {
        end--;
      }
      line = line.substring(0, end);
      if (i > 0) {
        int lead = leadingSpace(line);
        if (lead == line.length()) {
          empty = true;
          continue;
        }
        if (line.charAt(lead) == '#') {
          continue;
        }
      }
      int cut = continuation(line, 0, escape);
      more = cut >= 0;
      text.append(more ? line.substring(0, cut) : line);
    }
    return new Rejoined(text.toString(), empty);
  }

  private static int leadingSpace(String s) {
    int i = 0;
    while (i < s.length() && ShellWords.isSpace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** The growing joined text with the source offset of each of its characters. */
  private final class Joined {
    private final StringBuilder text = new StringBuilder();
    private int[] offsets = new int[128];
    private int end;

    /** Appends a physical line from {@code from}; returns whether it continues. */
    boolean add(int line, int from, String raw) {
      int to = raw.length();
      int cut = continuation(raw, from, escape);
      boolean continues = cut >= 0;
      if (continues) {
        to = cut;
      }
      int base = source.lineStart(line);
      if (offsets.length < text.length() + (to - from) + 1) {
        offsets = Arrays.copyOf(offsets, Math.max(offsets.length * 2, text.length() + to - from + 1));
      }
      for (int c = from; c < to; c++) {
        offsets[text.length()] = base + c;
        text.append(raw.charAt(c));
      }
      end = base + to;
      return continues;
    }

    boolean isBlank() {
      for (int c = 0; c < text.length(); c++) {
        if (!ShellWords.isSpace(text.charAt(c))) {
          return false;
        }
      }
      return true;
    }

    String text() {
      return text.toString();
    }

    int offset(int index) {
      return index < text.length() ? offsets[index] : end;
    }

    int[] offsets() {
      int[] result = Arrays.copyOf(offsets, text.length() + 1);
      result[text.length()] = end;
      return result;
    }
  }
}
