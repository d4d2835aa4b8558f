package dev.jbuild.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ShellExpanderTest {
  private static final Map<String, String> ENV = Map.of(
      "V", "value",
      "EMPTY", "",
      "PATHV", "/usr/local/bin/app.tar.gz",
      "SPACED", "a  b\tc",
      "WIN", "C:\\dir",
      "STAR", "*",
      "N", "1");
  private static final Function<String, String> LOOKUP = ENV::get;
  private static final ShellExpander BACKSLASH = new ShellExpander('\\');
  private static final ShellExpander BACKTICK = new ShellExpander('`');

  static Stream<Arguments> words() {
    return Stream.of(
        w("plain", "plain"),
        w("$V", "value"),
        w("${V}", "value"),
        w("pre$V-post", "prevalue-post"),
        w("${V}post", "valuepost"),
        w("$Vpost", ""),
        w("$UNSET", ""),
        w("${UNSET}", ""),
        w("$", "$"),
        w("a$", "a$"),
        w("$/x", "$/x"),
        w("$1", ""),
        w("$@", ""),
        // default and alternative values
        w("${UNSET:-def}", "def"),
        w("${EMPTY:-def}", "def"),
        w("${V:-def}", "value"),
        w("${UNSET-def}", "def"),
        w("${EMPTY-def}", ""),
        w("${V-def}", "value"),
        w("${V:+alt}", "alt"),
        w("${EMPTY:+alt}", ""),
        w("${UNSET:+alt}", ""),
        w("${EMPTY+alt}", "alt"),
        w("${UNSET+alt}", ""),
        w("${V:?must be set}", "value"),
        w("${EMPTY?must be set}", ""),
        w("${UNSET:-$V}", "value"),
        w("${UNSET:-${EMPTY:-nested}}", "nested"),
        w("${UNSET:-\"quoted } brace\"}", "quoted } brace"),
        w("${UNSET:-a\\}b}", "a}b"),
        w("${UNSET:-'single $V'}", "single $V"),
        w("${UNSET:-two words}", "two words"),
        // pattern removal
        w("${PATHV#*/}", "usr/local/bin/app.tar.gz"),
        w("${PATHV##*/}", "app.tar.gz"),
        w("${PATHV%.*}", "/usr/local/bin/app.tar"),
        w("${PATHV%%.*}", "/usr/local/bin/app"),
        w("${PATHV#/usr}", "/local/bin/app.tar.gz"),
        w("${PATHV#nomatch}", "/usr/local/bin/app.tar.gz"),
        w("${PATHV%.g?}", "/usr/local/bin/app.tar"),
        // BuildKit's patterns have no bracket expressions: [ and ] are literal.
        w("${PATHV##*[/.]}", "/usr/local/bin/app.tar.gz"),
        w("${PATHV%%[!/]*}", "/usr/local/bin/app.tar.gz"),
        w("${STAR#\\*}", ""),
        w("${STAR#?}", ""),
        w("${UNSET#x}", ""),
        w("${V#$N}", "value"),
        // replacement
        w("${PATHV/local/opt}", "/usr/opt/bin/app.tar.gz"),
        w("${PATHV//\\//:}", ":usr:local:bin:app.tar.gz"),
        w("${PATHV/\\//}", "usr/local/bin/app.tar.gz"),
        w("${PATHV/b*n/X}", "/usr/local/X/app.tar.gz"),
        w("${V//[aeiou]/_}", "value"),
        w("${V/nomatch/x}", "value"),
        w("${V/a/$N}", "v1lue"),
        w("${UNSET/a/b}", ""),
        // quotes and escapes
        w("'$V'", "$V"),
        w("\"$V\"", "value"),
        w("\"a b\"", "a b"),
        w("\\$V", "$V"),
        w("\"\\$V\"", "$V"),
        w("\"\\\"\"", "\""),
        w("\"\\n\"", "\\n"),
        w("a\\ b", "a b"),
        w("\\\\", "\\"),
        w("end\\", "end"),
        w("'a'\"b\"c", "abc"),
        w("\"it's\"", "it's"),
        w("'say \"hi\"'", "say \"hi\""),
        w("$WIN", "C:\\dir"),
        w("\"$SPACED\"", "a  b\tc"),
        w("$SPACED", "a  b\tc"),
        w("${V}${V}", "valuevalue"),
        w("\u00e9t\u00e9-$V", "\u00e9t\u00e9-value"),
        w("${V_UNDERSCORE:-x}", "x"));
  }

  private static Arguments w(String word, String expected) {
    return Arguments.of(word, expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("words")
  void expandsWord(String word, String expected) throws ExpansionException {
    assertEquals(expected, BACKSLASH.expand(word, LOOKUP));
  }

  static Stream<Arguments> splits() {
    return Stream.of(
        s("a b  c", "a|b|c"),
        s("  leading and trailing  ", "leading|and|trailing"),
        s("\"a b\" c", "a b|c"),
        s("'a b' \"c d\"", "a b|c d"),
        s("a\\ b c", "a b|c"),
        s("$SPACED", "a|b|c"),
        s("\"$SPACED\"", "a  b\tc"),
        s("x$SPACED", "xa|b|c"),
        s("${UNSET:-one two}", "one|two"),
        s("\"\" a ''", "a"),
        s("$EMPTY a", "a"),
        s("--from=$V /src /dst", "--from=value|/src|/dst"),
        s("a\tb\nc", "a|b|c"),
        s("pre\"mid dle\"post", "premid dlepost"),
        s("", ""));
  }

  private static Arguments s(String text, String expected) {
    return Arguments.of(text, expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("splits")
  void splitsWords(String text, String expected) throws ExpansionException {
    List<String> want = expected.isEmpty() ? List.of() : Arrays.asList(expected.split("\\|"));
    assertEquals(want, BACKSLASH.expandWords(text, LOOKUP));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        e("${UNSET:?must be set}", "UNSET: must be set"),
        e("${EMPTY:?must not be empty}", "EMPTY: must not be empty"),
        e("${UNSET?}", "UNSET: is not allowed to be unset"),
        e("${EMPTY:?}", "EMPTY: is not allowed to be empty"),
        e("${UNSET:?$V missing}", "UNSET: value missing"),
        e("${V", "syntax error: missing '}'"),
        e("${V:-abc", "syntax error: missing '}'"),
        e("${", "syntax error: missing '}'"),
        e("${V/a", "syntax error: missing '/' in ${}"),
        e("${}", "syntax error: bad substitution"),
        e("${:-x}", "syntax error: bad substitution"),
        e("${{V}}", "syntax error: bad substitution"),
        e("${.}", "syntax error: bad substitution"),
        e("${V:=x}", "syntax error: bad substitution: unsupported modifier (:=) in ${V}"),
        e("${V:#x}", "syntax error: bad substitution: unsupported modifier (:#) in ${V}"),
        e("${V x}", "syntax error: bad substitution: unsupported modifier ( ) in ${V}"),
        e("'open", "unexpected end of statement while looking for matching single-quote"),
        e("\"open", "unexpected end of statement while looking for matching double-quote"),
        e("\"$V", "unexpected end of statement while looking for matching double-quote"));
  }

  private static Arguments e(String word, String message) {
    return Arguments.of(word, message);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("errors")
  void reportsExpansionErrors(String word, String message) {
    ExpansionException ex = assertThrows(ExpansionException.class, () -> BACKSLASH.expand(word, LOOKUP));
    assertEquals(message, ex.getMessage());
    assertThrows(ExpansionException.class, () -> BACKSLASH.expandWords(word, LOOKUP));
  }

  @Test
  void backtickEscape() throws ExpansionException {
    assertEquals("C:\\path\\to", BACKTICK.expand("C:\\path\\to", LOOKUP));
    assertEquals("$V", BACKTICK.expand("`$V", LOOKUP));
    assertEquals("a b", BACKTICK.expand("a` b", LOOKUP));
    assertEquals(List.of("a b", "c"), BACKTICK.expandWords("a` b c", LOOKUP));
    assertEquals("\"", BACKTICK.expand("\"`\"\"", LOOKUP));
    assertEquals("x\\y", BACKTICK.expand("\"x\\y\"", LOOKUP));
    assertEquals('`', BACKTICK.escape());
  }

  @Test
  void lookupIsCalledOnlyForReferencedNames() throws ExpansionException {
    StringBuilder seen = new StringBuilder();
    BACKSLASH.expand("$A ${B:-$C} '$D' \\$E", name -> {
      seen.append(name);
      return null;
    });
    assertEquals("ABC", seen.toString());
  }

  @Test
  void substitutedValuesAreNotReexpanded() throws ExpansionException {
    assertEquals("$V", BACKSLASH.expand("$X", name -> name.equals("X") ? "$V" : null));
    assertEquals("'q'", BACKSLASH.expand("$X", name -> "'q'"));
  }
}
