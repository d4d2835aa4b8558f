package dev.jbuild.frontend;

import dev.jbuild.oci.ImageConfig;
import dev.jbuild.parser.Command;
import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.DockerfileStages;
import dev.jbuild.parser.Instruction;
import dev.jbuild.platform.Platform;
import dev.jbuild.registry.ResolvedImage;
import dev.jbuild.solver.Op;
import dev.jbuild.solver.Vertex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans one stage instruction by instruction. It holds the stage's state (filesystem vertex,
 * config, ARGs, history steps); COPY/ADD, RUN and config-only instructions are planned by
 * {@link CopyPlanner}, {@link RunPlanner} and {@link ConfigInstructions} against it.
 */
final class StageBuilder {
  private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

  final PlatformPlanner planner;
  final DockerfileStages.Stage stage;
  /** The stage's ARGs (null value: declared without one); RUN sees them, the config never does. */
  final Map<String, String> args = new LinkedHashMap<>();
  Platform platform;
  Vertex state;
  ImageConfig config;
  final List<HistoryStep> steps = new ArrayList<>();
  private Optional<String> baseRepository = Optional.empty();
  private int step;
  private int totalSteps;
  /** Where the steps being planned are located instead of their own instruction (ONBUILD triggers). */
  private Instruction originOverride;
  private final ConfigInstructions configInstructions = new ConfigInstructions(this);
  private final CopyPlanner copies = new CopyPlanner(this);
  private final RunPlanner runs = new RunPlanner(this);

  StageBuilder(PlatformPlanner planner, DockerfileStages.Stage stage) {
    this.planner = planner;
    this.stage = stage;
    this.totalSteps = 1 + (int) stage.body().stream().filter(StageBuilder::isStep).count();
  }

  StageResult build() throws DockerfileException {
    from(stage.from());
    runOnBuildTriggers(stage.from());
    for (Instruction i : stage.body()) {
      dispatch(i);
    }
    return new StageResult(state, config, steps, platform, baseRepository, args);
  }

  /**
   * ONBUILD triggers of the base (an image or an earlier stage) run first in this stage, as
   * BuildKit does, and are cleared from its config, so a stage built FROM this one does not run
   * them again. Their steps are located at this stage's FROM.
   */
  private void runOnBuildTriggers(Instruction.From from) throws DockerfileException {
    List<String> triggers = config.config().onBuild();
    if (triggers == null || triggers.isEmpty()) {
      return;
    }
    config = config.withConfig(config.config().withoutOnBuild());
    List<Instruction> parsed = new ArrayList<>();
    for (String trigger : triggers) {
      try {
        // parsed under a FROM of its own: a trigger is one stage instruction, not a whole Dockerfile
        List<Instruction> in = dev.jbuild.parser.DockerfileParser.parse("ONBUILD", "FROM scratch\n" + trigger).instructions();
        parsed.addAll(in.subList(1, in.size()));
      } catch (DockerfileException e) {
        throw error(from, "ONBUILD trigger \"" + trigger + "\" of the base: " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    totalSteps += (int) parsed.stream().filter(StageBuilder::isStep).count();
    originOverride = from;
    try {
      for (Instruction i : parsed) {
        if (i instanceof Instruction.From || i instanceof Instruction.Maintainer || i instanceof Instruction.Onbuild) {
          throw error(i, i.keyword() + " isn't allowed as an ONBUILD trigger");
        }
        dispatch(i);
      }
    } finally {
      originOverride = null;
    }
  }

  /** Like BuildKit, only instructions that become graph vertices are numbered. */
  private static boolean isStep(Instruction i) {
    return i instanceof Instruction.Run || i instanceof Instruction.Copy || i instanceof Instruction.Add
        || i instanceof Instruction.Workdir;
  }

  BuildRequest request() {
    return planner.request();
  }

  DockerfileException error(Instruction at, String message) {
    return originOverride == null ? planner.error(at, message)
        : planner.error(originOverride, "ONBUILD trigger " + at.original().strip() + ": " + message);
  }

  /** {@code word} expanded with the stage's ENV, then its ARGs. */
  String x(String word, Instruction at) throws DockerfileException {
    return planner.expand(word, located(at), this::lookup);
  }

  /** Where a problem with {@code at} is shown: an ONBUILD trigger's at the FROM that ran it. */
  private Instruction located(Instruction at) {
    return originOverride != null ? originOverride : at;
  }

  private String lookup(String name) {
    String env = envValue(name);
    return env != null ? env : args.get(name);
  }

  String envValue(String name) {
    for (String e : config.config().envOrEmpty()) {
      int eq = e.indexOf('=');
      if (eq > 0 && e.substring(0, eq).equals(name)) {
        return e.substring(eq + 1);
      }
    }
    return null;
  }

  /** {@code [platform name step/total]}; the platform only when several are built, and FROM names no target. */
  private String label(boolean withTarget) {
    String name = stage.from().stageName().map(n -> n + " ").orElse("");
    String plat = request().platforms().size() > 1
        ? PlatformPrefix.of(platform, withTarget ? this::lookup : n -> null) + " " : "";
    return "[" + plat + name + step + "/" + totalSteps + "]";
  }

  /**
   * Makes {@code op} the stage's next numbered step, with a history entry {@code createdBy}. It
   * ignores the cache in a {@code --no-cache-filter} stage, and so does everything built on such a step.
   */
  void addStep(Op op, Instruction at, String text, String createdBy) {
    step++;
    boolean ignoresCache = stage.from().stageName().map(n -> request().noCacheStages().contains(n.toLowerCase(java.util.Locale.ROOT)))
        .orElse(false) || op.inputs().stream().anyMatch(Vertex::ignoresCache);
    state = planner.origin(new Vertex(op, label(true) + " " + text, ignoresCache), located(at));
    steps.add(new HistoryStep(createdBy, Optional.of(state)));
  }

  /** A history entry for an instruction that changes only the config. */
  void history(String createdBy) {
    steps.add(new HistoryStep(createdBy, Optional.empty()));
  }

  String workingDir() {
    String wd = config.config().workingDir();
    return wd == null || wd.isEmpty() ? "/" : wd;
  }

  /** Resolves against WORKDIR and cleans; keeps a trailing '/' (it means "a directory"). */
  String absolute(String path) {
    return ContainerPaths.resolve(workingDir(), path, true);
  }

  String user() {
    return Optional.ofNullable(config.config().user()).orElse("");
  }

  /** A command as the image runs it: exec form as is, shell form under SHELL. */
  List<String> commandArgs(Command c) {
    if (c instanceof Command.Exec e) {
      return e.args();
    }
    List<String> shell = config.config().shell() == null || config.config().shell().isEmpty()
        ? DEFAULT_SHELL : config.config().shell();
    List<String> out = new ArrayList<>(shell);
    out.add(((Command.Shell) c).script());
    return out;
  }

  /** The filesystem of an earlier stage or an image, for COPY --from and RUN --mount=from. */
  Op.CopySource.State stateOf(String ref, Instruction at) throws DockerfileException {
    return planner.stateOf(ref, stage.index(), platform, at);
  }

  private void from(Instruction.From f) throws DockerfileException {
    String ref = planner.expand(f.image(), f, planner.globals()::lookup);
    platform = planner.target();
    step = 0;
    if (f.platform().isPresent()) {
      String p = planner.expand(f.platform().get(), f, planner.globals()::lookup);
      try {
        platform = Platform.parse(p);
      } catch (IllegalArgumentException e) {
        throw error(f, "FROM --platform: " + e.getMessage());
      }
    }
    if (ref.isBlank()) {
      throw error(f, "FROM requires an image name; \"" + f.image() + "\" expands to an empty string");
    }
    Optional<Integer> parent = planner.stages().find(ref, stage.index());
    if (parent.isPresent()) {
      StageResult p = planner.build(parent.get());
      step = 1;
      state = p.state();
      config = p.config();
      steps.addAll(p.steps());
      baseRepository = p.baseRepository();
      platform = p.platform();
      args.putAll(p.args()); // a stage built FROM another sees its ARGs, as in BuildKit
      return;
    }
    Optional<NamedContext> named = planner.namedContext(ref);
    if (named.isPresent()) { // --build-context replaces the image
      StageResult c = planner.fromNamedContext(named.get(), ref, platform, f);
      step = 1;
      state = c.state();
      config = c.config();
      baseRepository = c.baseRepository();
      return;
    }
    if (ref.equalsIgnoreCase("scratch")) {
      totalSteps--; // like BuildKit, scratch is no step of its own
      state = new Vertex(new Op.Scratch(), "FROM scratch");
      config = PlatformPlanner.scratchConfig(platform);
      return;
    }
    ResolvedImage image = planner.resolve(ref, platform, f);
    step = 1;
    state = planner.imageVertex(image, platform, f, label(false) + " FROM " + image.ref());
    baseRepository = Optional.of(image.ref().repositoryName());
    config = PlatformPlanner.imageConfig(image, platform);
  }

  private void dispatch(Instruction i) throws DockerfileException {
    if (i instanceof Instruction.Arg a) {
      arg(a);
    } else if (i instanceof Instruction.Workdir w) {
      workdir(w);
    } else if (i instanceof Instruction.Copy c) {
      copies.copy(c);
    } else if (i instanceof Instruction.Add a) {
      copies.add(a);
    } else if (i instanceof Instruction.Run r) {
      runs.run(r);
    } else if (!configInstructions.apply(i)) {
      throw error(i, i.keyword() + " is not supported here");
    }
  }

  private void arg(Instruction.Arg a) throws DockerfileException {
    // BuildKit records each stage ARG as an empty-layer history entry, with the Dockerfile's defaults
    history("ARG " + String.join(" ", a.args().stream()
        .map(d -> d.defaultValue().map(v -> d.name() + "=" + v).orElse(d.name())).toList()));
    for (Instruction.ArgDef d : a.args()) {
      planner.consumed().add(d.name());
      String value;
      if (request().buildArgs().containsKey(d.name())) {
        value = request().buildArgs().get(d.name());
      } else if (d.defaultValue().isPresent()) {
        value = x(d.defaultValue().get(), a);
      } else {
        value = planner.globals().lookup(d.name());
      }
      args.put(d.name(), value);
    }
  }

  private void workdir(Instruction.Workdir w) throws DockerfileException {
    String path = x(w.path(), w);
    if (path.isBlank()) {
      throw error(w, "WORKDIR requires a path");
    }
    String dir = absolute(path);
    config = config.withConfig(config.config().withWorkingDir(dir));
    addStep(new Op.Mkdir(state, dir, 0755, user()), w, "WORKDIR " + dir, "WORKDIR " + dir);
  }
}
