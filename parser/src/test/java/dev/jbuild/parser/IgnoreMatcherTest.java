package dev.jbuild.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IgnoreMatcherTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        c("*.md", "README.md", true),
        c("*.md", "docs/README.md", false),
        c("*/*.md", "docs/README.md", true),
        c("**/*.md", "docs/a/b/README.md", true),
        c("**/*.md", "README.md", true),
        c("node_modules", "node_modules", true),
        c("node_modules", "node_modules/x/index.js", true),
        c("node_modules", "src/node_modules", false),
        c("**/node_modules", "src/node_modules/x", true),
        c("/build", "build/out.o", true),
        c("./build/", "build/out.o", true),
        c("temp?", "temp1", true),
        c("temp?", "temp12", false),
        c("temp?", "temp/", false),
        c("docs/**", "docs/a/b", true),
        c("docs/**", "docs", false),
        c("a/**/b", "a/b", true),
        c("a/**/b", "a/x/y/b", true),
        c("a/**/b", "a/x/y/c", false),
        c("[a-c].txt", "b.txt", true),
        c("[a-c].txt", "d.txt", false),
        c("[^a].txt", "b.txt", true),
        c("file\\*", "file*", true),
        c("file\\*", "fileX", false),
        c("a.b", "axb", false),
        c("*.md\n!README.md", "README.md", false),
        c("*.md\n!README.md", "CHANGES.md", true),
        c("*\n!src\n", "src/main.go", false),
        c("*\n!src\n", "other", true),
        c("*\n!src\nsrc/*.tmp", "src/x.tmp", true),
        c("# comment\n\n  logs  \n", "logs/today", true),
        c("#*.md", "README.md", false),
        c("!keep\n*", "keep", true),
        c("a/../b", "b/c", true),
        c(".git\n.dockerignore\nDockerfile", ".git/HEAD", true),
        c(".git\n.dockerignore\nDockerfile", "Dockerfile", true),
        c(".git", "./.git/config", true),
        c("", "anything", false));
  }

  private static Arguments c(String file, String path, boolean excluded) {
    return Arguments.of(file, path, excluded);
  }

  @ParameterizedTest(name = "[{index}] {0} / {1}")
  @MethodSource("cases")
  void matches(String file, String path, boolean excluded) throws DockerfileException {
    assertEquals(excluded, IgnoreMatcher.parse(".dockerignore", file).excludes(path));
  }

  @Test
  void normalisesPatterns() throws DockerfileException {
    IgnoreMatcher m = IgnoreMatcher.parse(".dockerignore", "\uFEFF/a/./b/\n! /c/../d\n# x\n");
    assertEquals(List.of("a/b", "!d"), m.patterns());
    assertTrue(m.hasExceptions());
    assertFalse(IgnoreMatcher.of(List.of("a", "b")).hasExceptions());
    assertFalse(IgnoreMatcher.none().excludes("x"));
  }

  @Test
  void badPatternIsLocated() {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> IgnoreMatcher.parse(".dockerignore", "ok\n[z-a]\n"));
    assertEquals(2, e.range().startLine());
    assertTrue(e.getMessage().startsWith(".dockerignore:2:1: invalid pattern \"[z-a]\""), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> IgnoreMatcher.of(List.of("[")));
  }

  @Test
  void cleansPathsLikeGo() {
    assertEquals(".", IgnoreMatcher.clean(""));
    assertEquals("a/b", IgnoreMatcher.clean("./a//b/"));
    assertEquals("../x", IgnoreMatcher.clean("../x"));
    assertEquals("/x", IgnoreMatcher.clean("/../x"));
    assertEquals("b", IgnoreMatcher.clean("a/../b"));
  }
}
