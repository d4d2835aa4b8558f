package dev.jbuild.parser;

import java.util.List;
import java.util.Optional;

/**
 * One instruction at the parser level, as BuildKit's {@code parser.Node}: the keyword as written,
 * the leading {@code --flags} (quotes removed), and the argument values cut up by the keyword's
 * line rule (JSON array, blank-separated words, {@code key value sep} triples for ENV and LABEL,
 * or the rest as one string). Nothing is checked beyond what BuildKit's parser checks: an unknown
 * keyword, an unknown flag, a wrong argument count or an instruction before FROM are all fine here
 * and are reported by {@link DockerfileParser#parse}, the typed level that {@code build} uses.
 *
 * @param keyword the instruction word as written (BuildKit's dump lower-cases it)
 * @param values the argument nodes; empty when there are none
 * @param child ONBUILD's trigger
 * @param json true when the arguments were a JSON array of strings
 * @param heredocs the here-documents read after the line
 * @param original the joined instruction line
 * @param startLine 1-based first physical line; {@code endLine} the last one of the instruction
 *     (heredoc bodies not included)
 */
public record Node(String keyword, List<String> flags, List<String> values, Optional<Node> child,
    boolean json, List<Heredoc> heredocs, String original, int startLine, int endLine) {
  public Node {
    flags = List.copyOf(flags);
    values = List.copyOf(values);
    heredocs = List.copyOf(heredocs);
  }

  /** BuildKit's {@code Node.Dump()} of this instruction, without the surrounding parentheses. */
  public String dump() {
    StringBuilder sb = new StringBuilder(keyword.toLowerCase(java.util.Locale.ROOT));
    if (!flags.isEmpty()) {
      sb.append(' ').append(GoQuote.quoteList(flags));
    }
    child.ifPresent(c -> sb.append(" (").append(c.dump()).append(')'));
    for (String v : values) {
      sb.append(' ').append(GoQuote.quote(v));
    }
    return AstDump.goTrimSpace(sb.toString());
  }
}
