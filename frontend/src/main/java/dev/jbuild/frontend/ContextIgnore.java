package dev.jbuild.frontend;

import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.IgnoreMatcher;
import dev.jbuild.solver.PathFilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds and reads the ignore file of a build as BuildKit does: {@code <Dockerfile name>.dockerignore}
 * next to the Dockerfile wins over {@code .dockerignore} at the context root.
 */
public final class ContextIgnore {
  private ContextIgnore() {}

  public static PathFilter load(Path contextDir, Path dockerfile) throws IOException, DockerfileException {
    Path specific = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
    Path file = Files.isRegularFile(specific) ? specific : contextDir.resolve(".dockerignore");
    if (!Files.isRegularFile(file)) {
      return PathFilter.NONE;
    }
    return filter(IgnoreMatcher.parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8)));
  }

  /** A matcher as the solver's filter ({@code .dockerignore}, {@code COPY --exclude}). */
  static PathFilter filter(IgnoreMatcher m) {
    return new PathFilter() {
      @Override
      public boolean excludes(String relativePath) {
        return m.excludes(relativePath);
      }

      @Override
      public boolean mayReinclude() {
        return m.hasExceptions();
      }
    };
  }
}
