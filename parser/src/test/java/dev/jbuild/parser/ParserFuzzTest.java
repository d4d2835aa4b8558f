package dev.jbuild.parser;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Any text is a Dockerfile or a located {@link DockerfileException}; any word expands or fails
 * with an {@link ExpansionException}. Nothing else escapes, and no input hangs (the per-input
 * timeout makes a hang a finding).
 *
 * <p>In a plain test run these replay the seeds in {@code ParserFuzzTestInputs/}; the
 * {@code fuzz-*} surefire executions of this module's pom set {@code JAZZER_FUZZ=1} and fuzz each
 * target for a bounded time (skip them with {@code -DskipFuzz}).
 */
class ParserFuzzTest {

  @FuzzTest(maxDuration = "18s")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void dockerfile(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    try {
      Dockerfile dockerfile = DockerfileParser.parse("Dockerfile", text);
      Linter.lint(dockerfile, CheckConfig.DEFAULT, image -> null);
    } catch (DockerfileException e) {
      checkReported(e);
    }
    try {
      AstDump.dump("Dockerfile", text, true); // the node level accepts more than the typed level
    } catch (DockerfileException e) {
      checkReported(e);
    }
  }

  private static void checkReported(DockerfileException e) {
    if (e.reason().startsWith("internal parser error")) {
      throw new AssertionError(e.getMessage(), e.getCause());
    }
    e.render();
  }

  @FuzzTest(maxDuration = "18s")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void word(FuzzedDataProvider data) {
    char escape = data.consumeBoolean() ? '\\' : '`';
    Map<String, String> env = new HashMap<>();
    env.put("V", data.consumeString(16));
    env.put(data.consumeString(8), data.consumeString(16));
    String word = data.consumeRemainingAsString();
    ShellExpander expander = new ShellExpander(escape);
    try {
      expander.expand(word, env::get);
    } catch (ExpansionException e) {
      e.getMessage();
    }
    try {
      expander.expandWords(word, env::get);
    } catch (ExpansionException e) {
      e.getMessage();
    }
    IgnoreMatcher matcher;
    try {
      matcher = IgnoreMatcher.of(List.of(word.split("\n")));
    } catch (IllegalArgumentException e) {
      return; // an invalid pattern is reported as such
    }
    matcher.excludes(word);
  }
}
