package dev.jbuild.frontend;

import dev.jbuild.oci.Layer;
import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.DockerfileStages;
import dev.jbuild.parser.ExpansionException;
import dev.jbuild.parser.Instruction;
import dev.jbuild.parser.ShellExpander;
import dev.jbuild.platform.Platform;
import dev.jbuild.registry.RegistryException;
import dev.jbuild.registry.ResolvedImage;
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
    DockerfileStages.Stage stage = stages.stages().get(index);
    Optional<NamedContext> replacement = stage.from().stageName().flatMap(this::namedContext);
    StageResult r = replacement.isPresent() ? fromNamedContext(replacement.get(), stage.from().stageName().get(),
        target, stage.from()) : new StageBuilder(this, stage).build();
    built.put(index, r);
    return r;
  }

  /** The {@code --build-context} of that name, if one was given. */
  Optional<NamedContext> namedContext(String name) {
    Map<String, NamedContext> named = request.namedContexts();
    if (named.containsKey(name)) {
      return Optional.of(named.get(name));
    }
    return name.endsWith(":latest") ? Optional.ofNullable(named.get(name.substring(0, name.length() - 7)))
        : Optional.empty();
  }

  /** A named context as a stage's starting point: a directory's files, or an image resolved for {@code platform}. */
  StageResult fromNamedContext(NamedContext context, String name, Platform platform, Instruction at)
      throws DockerfileException {
    if (context instanceof NamedContext.LocalDir d) {
      Vertex scratch = new Vertex(new Op.Scratch(), "FROM scratch");
      Vertex files = origin(new Vertex(new Op.Copy(scratch, new Op.CopySource.Context(d.dir(), dev.jbuild.solver.PathFilter.NONE),
          List.of("."), "/", Optional.empty(), Optional.empty(), false), "[context " + name + "] load " + d.dir()), at);
      return new StageResult(files, scratchConfig(platform), List.of(), platform, Optional.empty(), Map.of());
    }
    ResolvedImage image = resolve(((NamedContext.Image) context).reference(), platform, at);
    Vertex v = imageVertex(image, platform, at, "[context " + name + "] FROM " + image.ref());
    return new StageResult(v, imageConfig(image, platform), List.of(), platform,
        Optional.of(image.ref().repositoryName()), Map.of());
  }

  /** The config a stage FROM scratch starts with. */
  static dev.jbuild.oci.ImageConfig scratchConfig(Platform platform) {
    return new dev.jbuild.oci.ImageConfig(null, null, platform.architecture(), platform.os(), platform.indexVariant(),
        dev.jbuild.oci.ImageConfig.Container.EMPTY.withEnv("PATH", DockerfileFrontend.DEFAULT_PATH), null, null);
  }

  /** The config a stage FROM an image starts with: the image's, for the stage's platform, with a PATH. */
  static dev.jbuild.oci.ImageConfig imageConfig(ResolvedImage image, Platform platform) {
    dev.jbuild.oci.ImageConfig base = image.config();
    dev.jbuild.oci.ImageConfig.Container c = base.config();
    if (c.envOrEmpty().stream().noneMatch(e -> e.startsWith("PATH="))) {
      c = c.withEnv("PATH", DockerfileFrontend.DEFAULT_PATH);
    }
    return new dev.jbuild.oci.ImageConfig(base.created(), base.author(), platform.architecture(), platform.os(),
        platform.indexVariant(), c, base.rootfs(), base.history());
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
    Optional<NamedContext> named = namedContext(ref);
    if (named.isPresent()) {
      return new Op.CopySource.State(fromNamedContext(named.get(), ref, platform, at).state());
    }
    if (stages.find(ref, stages.stages().size()).isPresent()) {
      throw error(at, "COPY --from=" + ref + " refers to a stage that is defined later; stages can only copy from earlier stages");
    }
    ResolvedImage image = resolve(ref, platform, at);
    return new Op.CopySource.State(imageVertex(image, platform, at, "[" + target + "] FROM " + image.ref()));
  }
}
