package dev.jbuild.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ${V/p/r}} and {@code ${V//p/r}} as BuildKit's shell lexer does them: the pattern becomes
 * a Go regular expression ({@code *} greedy, {@code ?} one character, neither crossing a newline,
 * brackets literal), {@code //} is Go's ReplaceAllString (every empty match counts, the
 * replacement is a template where {@code $0} is the match), {@code /} replaces the first match
 * with the replacement as it is; both parts keep their escapes.
 */
class ReplacementConformanceTest {
  private static final Map<String, String> ENV = Map.ofEntries(
      Map.entry("V", "value"), Map.entry("E", ""), Map.entry("P", "a/b/c"), Map.entry("AB", "aXbXc"),
      Map.entry("NL", "a\nb"), Map.entry("T", "$0$0"), Map.entry("T2", "$$"), Map.entry("T3", "${0}<$1>$"),
      Map.entry("B", "a}b"), Map.entry("S", "a*b*"), Map.entry("BR", "a[a]b"),
      Map.entry("U", "h\u00e9llo\ud83d\ude00x"));

  static Stream<Arguments> expansions() {
    return Stream.of(
        // empty patterns: every position matches
        x("${V///x}", "xvxaxlxuxex"), x("${V//}", null), x("${V/x/}", "value"), x("${V//l/}", "vaue"),
        x("${V///}", "value"), x("${E///x}", "x"), x("${UNSET///x}", "x"), x("${V/}", null),
        // empty and unset variables
        x("${E/a/x}", ""), x("${UNSET//a/x}", ""), x("${E/*/x}", "x"), x("${UNSET/*/x}", "x"),
        x("${E//?/x}", ""),
        // stars and question marks
        x("${V/*/x}", "x"), x("${V//*/x}", "x"), x("${AB/X*X/-}", "a-c"), x("${AB//X?/-}", "a--"),
        x("${V//?/.}", "....."), x("${U//?/.}", "......."), x("${NL//*/x}", "x\nx"), x("${NL//?/x}", "x\nx"),
        // escapes: \/ and \} only keep the part open; \* \? \\ are literal; brackets are literal
        x("${P//\\//_}", "a_b_c"), x("${P/\\//_}", "a_b/c"), x("${P//\"/\"/_}", "a_b_c"),
        x("${P//\\//\\/}", "a\\/b\\/c"), x("${B//\\}/x}", "axb"), x("${S//\\*/-}", "a-b-"),
        x("${V//[a]/x}", "value"), x("${BR//[a]/x}", "axb"),
        // the replacement of // is a Go template; that of / is not
        x("${V//l/$T}", "vallue"), x("${V//l/$T2}", "va$ue"), x("${V/l/$T}", "va$0$0ue"),
        x("${V//l/$T3}", "val<>$ue"),
        // the pattern runs to the next unescaped /, even past a }
        x("${V/a}/b}", "value"), x("${B/a}/x}", "xb"));
  }

  private static Arguments x(String word, String expected) {
    return Arguments.of(word, expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("expansions")
  void expands(String word, String expected) throws ExpansionException {
    ShellExpander expander = new ShellExpander('\\');
    if (expected == null) {
      ExpansionException e = assertThrows(ExpansionException.class, () -> expander.expand(word, ENV::get));
      assertEquals("syntax error: missing '/' in ${}", e.getMessage());
      return;
    }
    assertEquals(expected, expander.expand(word, ENV::get));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        x("${V/\\a/x}", "invalid pattern (\\a) in substitution: invalid escape '\\a'"),
        x("${V/a/b", "syntax error: missing '}'"),
        x("${V/a", "syntax error: missing '/' in ${}"),
        x("${V#\\q}", "invalid pattern (\\q) in substitution: invalid escape '\\q'"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("errors")
  void fails(String word, String message) {
    ExpansionException e = assertThrows(ExpansionException.class,
        () -> new ShellExpander('\\').expand(word, ENV::get));
    assertEquals(message, e.getMessage());
  }

  /** Unset variables stay as written when the parser looks for heredocs, in BuildKit's form. */
  @ParameterizedTest
  @MethodSource("kept")
  void keepUnset(String word, String expected) throws ExpansionException {
    assertEquals(expected, new ShellWords('\\', false, false, true).word(word, ENV::get));
  }

  static Stream<Arguments> kept() {
    return Stream.of(x("${UNSET//a/b}", "${UNSET/a/b}"), x("${V//a/b}", "vblue"));
  }
}
