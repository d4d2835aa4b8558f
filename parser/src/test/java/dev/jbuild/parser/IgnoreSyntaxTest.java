package dev.jbuild.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * .dockerignore pattern syntax as Docker checks it: with Go's filepath.Match rules for bracket
 * expressions and escapes, and a lone {@code !} refused.
 */
class IgnoreSyntaxTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "[-]|'-' must be escaped in a bracket expression unless it joins two characters (write \\-)",
      "[x-]|'-' must be escaped in a bracket expression unless it joins two characters (write \\-)",
      "[a-b-c]|'-' must be escaped in a bracket expression unless it joins two characters (write \\-)",
      "[-a]|'-' must be escaped in a bracket expression unless it joins two characters (write \\-)",
      "[]|empty bracket expression (write \\] for a literal ])",
      "[]a]|empty bracket expression (write \\] for a literal ])",
      "[^]|empty bracket expression (write \\] for a literal ])",
      "[a|unterminated bracket expression",
      "a/[bc|unterminated bracket expression",
      "[|unterminated bracket expression",
      "[a-|unterminated bracket expression",
      "[\\|unterminated bracket expression",
      "a\\|a trailing backslash escapes nothing",
      "*/x\\|a trailing backslash escapes nothing",
      "!|illegal exclusion pattern: \"!\" (a ! needs a pattern after it)",
      "!   |illegal exclusion pattern: \"!\" (a ! needs a pattern after it)",
  })
  void badPatterns(String pattern, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> IgnoreMatcher.of(List.of(pattern)));
    assertEquals("invalid pattern \"" + pattern.strip() + "\": " + reason, e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[\\-]x|-x|true", "[a\\-]|-|true", "[a\\-]|b|false", "[^a]|b|true", "[^a]|a|false",
      "[\\]]|]|true", "[*]|*|true", "[*]|x|false", "[a-c]|b|true", "[!a]|!|true", "[!a]|b|false",
      "[[:digit:]]x|5x|true", "\\*|*|true", "\\*|a|false", "a]|a]|true", "[a]]|a]|true",
  })
  void goodPatternsMatch(String pattern, String path, boolean excluded) {
    assertEquals(excluded, IgnoreMatcher.of(List.of(pattern)).excludes(path));
  }

  @Test
  void theFileReportsTheLine() {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> IgnoreMatcher.parse(".dockerignore", "# comment\nnode_modules\n*.[x-]\n"));
    assertEquals(".dockerignore:3:1: invalid pattern \"*.[x-]\": '-' must be escaped in a bracket expression"
        + " unless it joins two characters (write \\-)", e.getMessage().lines().findFirst().orElseThrow());
    e = assertThrows(DockerfileException.class, () -> IgnoreMatcher.parse(".dockerignore", "a\n!\n"));
    assertEquals(".dockerignore:2:1: invalid pattern \"!\": illegal exclusion pattern: \"!\" (a ! needs a pattern after it)",
        e.getMessage().lines().findFirst().orElseThrow());
  }
}
