package dev.jbuild.frontend;

import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.ExpansionException;
import dev.jbuild.parser.Instruction;
import dev.jbuild.parser.ShellExpander;
import dev.jbuild.platform.Platform;
import dev.jbuild.registry.RegistryException;
import dev.jbuild.registry.ResolvedImage;
import dev.jbuild.solver.Layer;
import dev.jbuild.solver.Op;
import dev.jbuild.solver.Vertex;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Plans the stages a target needs for one target platform; each stage is planned once. */
final class PlatformPlanner {
  private final DockerfileStages stages;
  private final BuildRequest request;
  private final ResolvedImages images;
  private final Platform target;
  private final IdentityHashMap<Vertex, Instruction> origins;
  private final Set<String> consumed;
  private final Map<Integer, StageResult> built = new LinkedHashMap<>();
  private final ShellExpander expander;
  private final GlobalArgScope globals;

  PlatformPlanner(DockerfileStages stages, BuildRequest request, ResolvedImages images, Platform buildPlatform,
      Platform target, IdentityHashMap<Vertex, Instruction> origins, Set<String> consumed) throws DockerfileException {
    this.stages = stages;
    this.request = request;
    this.images = images;
    this.target = target;
    this.origins = origins;
    this.consumed = consumed;
    this.expander = new ShellExpander(stages.file().escape());
    this.globals = new GlobalArgScope(this, buildPlatform, target);
  }

  DockerfileStages stages() {
    return stages;
  }

  BuildRequest request() {
    return request;
  }

  Platform target() {
    return target;
  }

  GlobalArgScope globals() {
    return globals;
  }

  /** Build args some ARG declared (the rest are warned about). */
  Set<String> consumed() {
    return consumed;
  }

  StageResult build(int index) throws DockerfileException {
    StageResult done = built.get(index);
    if (done != null) {
      return done;
    }
    StageResult r = new StageBuilder(this, stages.stages().get(index)).build();
    built.put(index, r);
    return r;
  }

  String expand(String word, Instruction at, Function<String, String> lookup) throws DockerfileException {
    try {
      return expander.expand(word, lookup);
    } catch (ExpansionException e) {
      throw error(at, e.getMessage());
    }
  }

  DockerfileException error(Instruction at, String message) {
    return stages.error(at, message);
  }

  /** Records that {@code v} was made for {@code at}, so its failures point there. */
  Vertex origin(Vertex v, Instruction at) {
    origins.put(v, at);
    return v;
  }

  ResolvedImage resolve(String ref, Platform platform, Instruction at) throws DockerfileException {
    try {
      return images.resolve(ref, platform);
    } catch (RegistryException e) {
      throw error(at, at.keyword() + " " + ref + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw error(at, "invalid image reference \"" + ref + "\": " + e.getMessage());
    }
  }

  Vertex imageVertex(ResolvedImage image, Platform platform, Instruction at, String name) {
    List<Layer> layers = new ArrayList<>();
    List<String> diffIds = image.config().rootfs().diffIds();
    for (int i = 0; i < image.parsedManifest().layers().size(); i++) {
      layers.add(new Layer(image.parsedManifest().layers().get(i), dev.jbuild.oci.Digest.parse(diffIds.get(i))));
    }
    return origin(new Vertex(new Op.Image(image.ref().toString(), image.ref().repositoryName(), platform, layers), name), at);
  }

  /**
   * The filesystem {@code COPY --from=ref} or {@code RUN --mount=from=ref} reads: an earlier stage
   * (by name or index) or an image for {@code platform}.
   */
  Op.CopySource.State stateOf(String ref, int beforeStage, Platform platform, Instruction at) throws DockerfileException {
    Optional<Integer> stageIndex = stages.find(ref, beforeStage);
    if (stageIndex.isPresent()) {
      return new Op.CopySource.State(build(stageIndex.get()).state());
    }
    if (stages.find(ref, stages.stages().size()).isPresent()) {
      throw error(at, "COPY --from=" + ref + " refers to a stage that is defined later; stages can only copy from earlier stages");
    }
    ResolvedImage image = resolve(ref, platform, at);
    return new Op.CopySource.State(imageVertex(image, platform, at, "[" + target + "] FROM " + image.ref()));
  }
}
