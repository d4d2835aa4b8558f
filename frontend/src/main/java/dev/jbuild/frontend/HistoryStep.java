package dev.jbuild.frontend;

import dev.jbuild.solver.Vertex;
import java.util.Optional;

/**
 * One history entry to be: what created it and, for steps that can change the filesystem, the
 * vertex whose result tells whether it really added a layer and when.
 */
record HistoryStep(String createdBy, Optional<Vertex> vertex) {}
