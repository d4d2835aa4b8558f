package dev.jbuild.cli;

import dev.jbuild.parser.CheckConfig;
import dev.jbuild.parser.Dockerfile;
import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.LintWarning;
import dev.jbuild.parser.Linter;
import java.util.List;
import java.util.Map;

/**
 * BuildKit's build checks for one Dockerfile: which run ({@code # check=} or the
 * {@code BUILDKIT_DOCKERFILE_CHECK} build arg, which wins), their warnings rendered for people,
 * and the failure {@code error=true} asks for.
 */
final class Checks {
  static final String CHECK_ARG = "BUILDKIT_DOCKERFILE_CHECK";

  private Checks() {}

  record Result(List<LintWarning> warnings, CheckConfig config) {}

  static Result run(Dockerfile dockerfile, List<String> lines, Map<String, String> buildArgs) throws UserError {
    CheckConfig config;
    try {
      config = buildArgs.containsKey(CHECK_ARG) ? CheckConfig.parse(buildArgs.get(CHECK_ARG)) : CheckConfig.of(dockerfile);
    } catch (IllegalArgumentException e) {
      throw new UserError("--build-arg " + CHECK_ARG + ": " + e.getMessage());
    } catch (DockerfileException e) {
      throw new UserError(e.render(), e);
    }
    // base-image environments are not known before resolution: UndefinedVar then stays silent
    return new Result(Linter.lint(dockerfile, config, image -> null), config);
  }

  /** Throws when {@code error=true} and there are warnings. */
  static void enforce(Dockerfile dockerfile, Result result) throws UserError {
    try {
      Linter.failOnWarnings(dockerfile, result.config(), result.warnings());
    } catch (DockerfileException e) {
      throw new UserError(e.render(), e);
    }
  }

  /** {@code Dockerfile:3:1: Rule: message} with the line and a caret, then where to read more. */
  static String render(LintWarning w, String fileName, List<String> lines) {
    return new DockerfileException(fileName, w.range(), w.rule() + ": " + w.message(), lines).render()
        + "\n  see " + w.url();
  }
}
