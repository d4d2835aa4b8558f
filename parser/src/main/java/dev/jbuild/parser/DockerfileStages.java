package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Dockerfile split into its global ARGs and its stages, with stage lookup by name or index: the
 * one stage scoping that the frontend builds with and the linter checks with.
 */
public record DockerfileStages(Dockerfile file, List<String> lines, List<Instruction.Arg> globalArgs, List<Stage> stages) {

  /** One stage: its FROM and the instructions after it. */
  public record Stage(int index, Instruction.From from, List<Instruction> body) {}

  public static DockerfileStages of(Dockerfile df, List<String> lines) throws DockerfileException {
    List<Instruction.Arg> globals = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    Instruction.From from = null;
    List<Instruction> body = new ArrayList<>();
    for (Instruction i : df.instructions()) {
      if (i instanceof Instruction.From f) {
        if (from != null) {
          stages.add(new Stage(stages.size(), from, body));
        }
        from = f;
        body = new ArrayList<>();
      } else if (from == null) {
        if (i instanceof Instruction.Arg a) {
          globals.add(a);
        } else {
          throw new DockerfileException(df.fileName(), i.range(),
              "no build stage in current context: " + i.keyword() + " must come after FROM", lines);
        }
      } else {
        body.add(i);
      }
    }
    if (from == null) {
      throw new DockerfileException(df.fileName(), new SourceRange(1, 1, 1, 1),
          "the Dockerfile has no FROM instruction", lines);
    }
    stages.add(new Stage(stages.size(), from, body));
    return new DockerfileStages(df, lines, globals, stages);
  }

  /** The stage {@code --target} names (by name only, as in BuildKit: an index is no target), else the last. */
  public int targetStage(Optional<String> target) throws DockerfileException {
    if (target.isEmpty()) {
      return stages.size() - 1;
    }
    Optional<Integer> i = findByName(target.get(), stages.size());
    if (i.isEmpty()) {
      List<String> names = stages.stream().flatMap(s -> s.from.stageName().stream()).toList();
      throw new DockerfileException(file.fileName(), stages.get(0).from.range(),
          "target stage \"" + target.get() + "\" could not be found"
              + (names.isEmpty() ? " (no stage is named)" : " (stages: " + String.join(", ", names) + ")"),
          lines);
    }
    return i.get();
  }

  /** A stage by name (case-insensitive) or index, among the stages before {@code before}. */
  public Optional<Integer> find(String ref, int before) {
    Optional<Integer> named = findByName(ref, before);
    if (named.isPresent()) {
      return named;
    }
    if (ref.matches("\\d+") && Integer.parseInt(ref) < before) {
      return Optional.of(Integer.parseInt(ref));
    }
    return Optional.empty();
  }

  /** The first stage named {@code name} (case-insensitive) among the stages before {@code before}. */
  public Optional<Integer> findByName(String name, int before) {
    for (int i = 0; i < before; i++) {
      Optional<String> n = stages.get(i).from.stageName();
      if (n.isPresent() && n.get().equalsIgnoreCase(name)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  public DockerfileException error(Instruction at, String message) {
    return new DockerfileException(file.fileName(), at.range(), message, lines);
  }
}
