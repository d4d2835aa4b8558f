package dev.jbuild.solver;

import dev.jbuild.oci.Layer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The filesystem a vertex produces: its full layer chain (bottom first).
 *
 * @param addedLayer whether the vertex itself added the last layer (false for an empty diff)
 * @param createdAt when the vertex's layer was first built; carried in the cache record so a
 *     cached rebuild gives the same history and config
 */
public record FsState(List<Layer> layers, boolean addedLayer, Optional<Instant> createdAt) {
  public FsState {
    layers = List.copyOf(layers);
  }

  public static final FsState EMPTY = new FsState(List.of(), false, Optional.empty());
}
