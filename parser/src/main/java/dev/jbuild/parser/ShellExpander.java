package dev.jbuild.parser;

import java.util.List;
import java.util.function.Function;

/**
 * Expands Dockerfile words the way BuildKit does for ARG, ENV, FROM, COPY, WORKDIR, LABEL and
 * the other instructions that support variables (not RUN, whose text goes to the shell).
 *
 * <p>Supported: {@code $V ${V}}, {@code ${V:-w} ${V-w} ${V:+w} ${V+w} ${V:?msg} ${V?msg}},
 * {@code ${V#p} ${V##p} ${V%p} ${V%%p}} and {@code ${V/p/r} ${V//p/r}} with shell patterns
 * ({@code * ? [..]}); single quotes are literal, double quotes allow substitution, the escape
 * character ({@code \} or the backtick set by the {@code escape} directive) makes the next
 * character literal. An unset variable expands to the empty string. Instances are immutable
 * and thread-safe.
 */
public final class ShellExpander {
  private final ShellWords engine;
  private final char escape;

  /** @param escape the Dockerfile's escape character, {@link Dockerfile#escape()} */
  public ShellExpander(char escape) {
    this.escape = escape;
    this.engine = new ShellWords(escape, false, false, false);
  }

  public char escape() {
    return escape;
  }

  /**
   * Expands one word: quotes removed, escapes processed, variables substituted; blanks are kept.
   *
   * @param lookup the value of a variable, or null when it is not set
   */
  public String expand(String word, Function<String, String> lookup) throws ExpansionException {
    return engine.word(word, lookup);
  }

  /**
   * Expands and splits a text into words on unquoted blanks, as BuildKit's ProcessWords: blanks
   * in an unquoted variable value split too, quoted blanks do not, empty words are dropped.
   */
  public List<String> expandWords(String text, Function<String, String> lookup)
      throws ExpansionException {
    return List.copyOf(engine.words(text, lookup));
  }
}
