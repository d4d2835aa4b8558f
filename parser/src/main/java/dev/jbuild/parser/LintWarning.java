package dev.jbuild.parser;

/**
 * One build-check violation, as BuildKit reports it.
 *
 * @param rule the BuildKit rule name, e.g. {@code JSONArgsRecommended}
 * @param message what is wrong here, e.g. {@code JSON arguments recommended for CMD to prevent …}
 * @param range the instruction (or part of it) the warning is about
 * @param description the rule's one-line description
 * @param url the rule's documentation page
 */
public record LintWarning(String rule, String message, SourceRange range, String description,
    String url) {

  /** The one-line form buildx prints: {@code Rule: message (line N)}. */
  public String summary() {
    return rule + ": " + message + " (line " + range.startLine() + ")";
  }
}
