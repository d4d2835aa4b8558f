package dev.jbuild.frontend;

import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.ImageResult;
import dev.jbuild.oci.Layer;
import dev.jbuild.solver.FsState;
import dev.jbuild.solver.SolveException;
import dev.jbuild.solver.Solver;
import java.time.Instant;
import java.util.Optional;

/**
 * Completes a recipe's config once its graph is solved: diff ids of the new layers and one
 * history entry per step. Created times come from the cache records of the layers (or
 * SOURCE_DATE_EPOCH), never from the clock at export, so a cached rebuild yields the same digest.
 */
public final class ImageAssembler {
  private final Solver solver;
  private final Optional<Instant> sourceDateEpoch;

  public ImageAssembler(Solver solver, Optional<Instant> sourceDateEpoch) {
    this.solver = solver;
    this.sourceDateEpoch = sourceDateEpoch;
  }

  public ImageResult assemble(ImageRecipe recipe) throws SolveException, InterruptedException {
    FsState fin = solver.solve(recipe.root());
    ImageConfig config = recipe.config();
    int baseLayers = config.rootfs().diffIds().size();
    Optional<Instant> lastCreated = Optional.ofNullable(config.created()).flatMap(ImageAssembler::parseTime);
    boolean changed = false;
    for (HistoryStep step : recipe.steps()) {
      boolean layer = false;
      if (step.vertex().isPresent()) {
        FsState s = solver.solve(step.vertex().get());
        layer = s.addedLayer();
        if (layer && s.createdAt().isPresent()) {
          lastCreated = s.createdAt();
        }
      }
      String created = clamp(lastCreated).map(Instant::toString).orElse(null);
      ImageConfig.History h = new ImageConfig.History(created, step.createdBy(), null, "jbuild", layer ? null : true);
      config = layer ? config.withLayer(fin.layers().get(baseLayers + layerIndex(config, baseLayers)).diffId().toString(), h)
          : config.withHistory(h);
      changed = true;
    }
    if (config.rootfs().diffIds().size() != fin.layers().size()) {
      throw new SolveException(recipe.root(), "internal error: the image has " + fin.layers().size()
          + " layers but its history accounts for " + config.rootfs().diffIds().size());
    }
    for (int i = 0; i < fin.layers().size(); i++) {
      Layer l = fin.layers().get(i);
      if (!l.diffId().toString().equals(config.rootfs().diffIds().get(i))) {
        throw new SolveException(recipe.root(), "internal error: layer " + i + " of the image does not match its config");
      }
    }
    if (changed || sourceDateEpoch.isPresent()) {
      config = config.withCreated(clamp(lastCreated).map(Instant::toString).orElse(null));
    }
    return new ImageResult(recipe.platform(), fin.layers(), config, recipe.baseRepository());
  }

  /** How many layers this recipe's steps have added so far. */
  private static int layerIndex(ImageConfig config, int baseLayers) {
    return config.rootfs().diffIds().size() - baseLayers;
  }

  private Optional<Instant> clamp(Optional<Instant> t) {
    if (sourceDateEpoch.isEmpty()) {
      return t;
    }
    Instant epoch = sourceDateEpoch.get();
    return Optional.of(t.filter(x -> x.isBefore(epoch)).orElse(epoch));
  }

  private static Optional<Instant> parseTime(String s) {
    try {
      return Optional.of(java.time.OffsetDateTime.parse(s).toInstant());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
