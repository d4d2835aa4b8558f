package dev.jbuild.frontend;

import dev.jbuild.oci.ImageConfig;
import dev.jbuild.platform.Platform;
import dev.jbuild.solver.Vertex;
import java.util.List;
import java.util.Optional;

/**
 * The plan for one platform's image: the vertex of its final filesystem, the config the
 * Dockerfile describes (base history and diff ids included, new layers not yet), and the steps
 * that become history entries once the graph is solved.
 */
public record ImageRecipe(Platform platform, Vertex root, ImageConfig config, List<HistoryStep> steps,
    Optional<String> baseRepository) {
  public ImageRecipe {
    steps = List.copyOf(steps);
  }

  /** Whether any step runs a process (and so needs a runtime and, for foreign platforms, emulation). */
  public boolean runsProcesses() {
    return steps.stream().anyMatch(s -> s.vertex().map(v -> v.op() instanceof dev.jbuild.solver.Op.Exec).orElse(false));
  }
}
