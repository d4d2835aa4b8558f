package dev.jbuild.frontend;

import dev.jbuild.oci.ImageConfig;
import dev.jbuild.platform.Platform;
import dev.jbuild.solver.Vertex;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A planned stage: its final filesystem vertex, config and history steps, and the ARGs it
 * declared (a stage built {@code FROM} it inherits them, as in BuildKit).
 */
record StageResult(Vertex state, ImageConfig config, List<HistoryStep> steps, Platform platform,
    Optional<String> baseRepository, Map<String, String> args) {
  StageResult {
    steps = List.copyOf(steps);
    args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
  }
}
