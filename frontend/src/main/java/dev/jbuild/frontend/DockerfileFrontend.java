package dev.jbuild.frontend;

import dev.jbuild.oci.ImageConfig;
import dev.jbuild.parser.ArgScopes;
import dev.jbuild.parser.Dockerfile;
import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.DockerfileStages;
import dev.jbuild.parser.Instruction;
import dev.jbuild.platform.Platform;
import dev.jbuild.solver.Vertex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Translates a Dockerfile into build-graph vertices and image configs, one recipe per target
 * platform (BuildKit's dockerfile2llb). Follows the Dockerfile reference: global ARGs are seen by
 * FROM only unless redeclared in a stage; ENV overrides ARG; build args override ARG defaults;
 * only stages the target needs are built.
 *
 * <p>The work is split by concern: {@link DockerfileStages} (stages, targets),
 * {@link GlobalArgScope} (ARG scopes), {@link PlatformPlanner} (one target platform),
 * {@link StageBuilder} (one stage), {@link CopyPlanner} (COPY/ADD), {@link RunPlanner} (RUN) and
 * {@link ConfigInstructions} (instructions that only change the image config).
 */
public final class DockerfileFrontend {
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final ResolvedImages images;
  private final Platform buildPlatform;

  public DockerfileFrontend(BaseImageResolver resolver, Platform buildPlatform) {
    this.images = new ResolvedImages(resolver);
    this.buildPlatform = buildPlatform;
  }

  /**
   * Plans the build.
   *
   * @param lines the Dockerfile's lines, for error rendering
   * @throws DockerfileException for anything wrong in the Dockerfile or its base images, located
   */
  public BuildPlan plan(Dockerfile dockerfile, List<String> lines, BuildRequest request) throws DockerfileException {
    DockerfileStages stages = DockerfileStages.of(dockerfile, lines);
    int target = stages.targetStage(request.target());
    IdentityHashMap<Vertex, Instruction> origins = new IdentityHashMap<>();
    Set<String> consumed = new HashSet<>();
    List<ImageRecipe> recipes = new ArrayList<>();
    for (Platform p : request.platforms()) {
      PlatformPlanner planner = new PlatformPlanner(stages, request, images, buildPlatform, p, origins, consumed);
      StageResult r = planner.build(target);
      ImageConfig config = r.config().withConfig(r.config().config().withLabels(request.labels()));
      recipes.add(new ImageRecipe(r.platform(), r.state(), config, r.steps(), r.baseRepository()));
    }
    List<String> warnings = new ArrayList<>();
    List<String> unused = request.buildArgs().keySet().stream()
        .filter(k -> !consumed.contains(k) && !ArgScopes.isPredefinedArg(k)).sorted().toList();
    if (!unused.isEmpty()) {
      warnings.add("one or more build-args " + unused + " were not consumed");
    }
    return new BuildPlan(recipes, origins, warnings, dockerfile.fileName(), lines);
  }
}
