package dev.jbuild.frontend;

import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.Instruction;
import dev.jbuild.solver.Vertex;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The frontend's output: one recipe per platform, and where each vertex came from in the Dockerfile. */
public final class BuildPlan {
  private final List<ImageRecipe> images;
  private final Map<Vertex, Instruction> origins;
  private final List<String> warnings;
  private final String fileName;
  private final List<String> lines;

  BuildPlan(List<ImageRecipe> images, IdentityHashMap<Vertex, Instruction> origins, List<String> warnings,
      String fileName, List<String> lines) {
    this.images = List.copyOf(images);
    this.origins = origins;
    this.warnings = List.copyOf(warnings);
    this.fileName = fileName;
    this.lines = List.copyOf(lines);
  }

  public List<ImageRecipe> images() {
    return images;
  }

  /** Warnings for the user, such as build args nothing consumed. */
  public List<String> warnings() {
    return warnings;
  }

  /** The instruction a vertex was made for, if the frontend made it. */
  public Optional<Instruction> origin(Vertex v) {
    return Optional.ofNullable(origins.get(v));
  }

  /** Locates a failure of {@code v} in the Dockerfile, as a {@link DockerfileException}. */
  public Optional<DockerfileException> locate(Vertex v, String message) {
    return origin(v).map(i -> new DockerfileException(fileName, i.range(), message, lines));
  }
}
