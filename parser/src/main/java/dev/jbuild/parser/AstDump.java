package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parser-level tree ({@link Node}s) in the form of BuildKit's {@code Node.Dump()}, for
 * conformance tests: one line per instruction, e.g. {@code (copy ["--from=build"] "a" "b")},
 * {@code (env "A" "1" "=")}, {@code (onbuild (run "make"))}. Like BuildKit's parser it checks no
 * semantics (an instruction before FROM or an unknown flag dump fine); like BuildKit's dump it
 * shows heredoc markers where they are written but not the bodies, unless asked to.
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
    StringBuilder out = new StringBuilder();
    for (Node node : DockerfileParser.parseNodes(fileName, text).nodes()) {
      out.append('(').append(node.dump()).append(")\n");
      if (heredocs) {
        for (Heredoc h : node.heredocs()) {
          out.append("(heredoc ").append(GoQuote.quote(h.name())).append(' ')
              .append(GoQuote.quote(h.content())).append(")\n");
        }
      }
    }
    return out.toString().strip();
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
