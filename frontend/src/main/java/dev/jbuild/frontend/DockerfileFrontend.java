package dev.jbuild.frontend;

import dev.jbuild.nativeexec.NetworkMode;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.parser.Command;
import dev.jbuild.parser.Dockerfile;
import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.ExpansionException;
import dev.jbuild.parser.AddFlags;
import dev.jbuild.parser.CopyFlags;
import dev.jbuild.parser.HealthcheckFlags;
import dev.jbuild.parser.RunFlags;
import dev.jbuild.parser.Instruction;
import dev.jbuild.parser.KeyValue;
import dev.jbuild.parser.ShellExpander;
import dev.jbuild.platform.Platform;
import dev.jbuild.registry.RegistryException;
import dev.jbuild.registry.ResolvedImage;
import dev.jbuild.solver.Layer;
import dev.jbuild.solver.Op;
import dev.jbuild.solver.Vertex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Translates a Dockerfile into build-graph vertices and image configs, one recipe per target
 * platform (BuildKit's dockerfile2llb). Follows the Dockerfile reference: global ARGs are seen by
 * FROM only unless redeclared in a stage; ENV overrides ARG; build args override ARG defaults;
 * only stages the target needs are built.
 */
public final class DockerfileFrontend {
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

  private final BaseImageResolver resolver;
  private final Platform buildPlatform;
  private final Map<String, ResolvedImage> resolved = new ConcurrentHashMap<>();

  public DockerfileFrontend(BaseImageResolver resolver, Platform buildPlatform) {
    this.resolver = resolver;
    this.buildPlatform = buildPlatform;
  }

  /**
   * Plans the build.
   *
   * @param lines the Dockerfile's lines, for error rendering
   * @throws DockerfileException for anything wrong in the Dockerfile or its base images, located
   */
  public BuildPlan plan(Dockerfile dockerfile, List<String> lines, BuildRequest request) throws DockerfileException {
    Parsed parsed = Parsed.of(dockerfile, lines);
    int target = parsed.targetStage(request.target());
    IdentityHashMap<Vertex, Instruction> origins = new IdentityHashMap<>();
    Set<String> consumed = new HashSet<>();
    List<ImageRecipe> images = new ArrayList<>();
    for (Platform p : request.platforms()) {
      StagePlanner planner = new StagePlanner(parsed, request, p, origins, consumed);
      StageResult r = planner.build(target);
      ImageConfig config = r.config.withConfig(r.config.config().withLabels(request.labels()));
      images.add(new ImageRecipe(r.platform, r.state, config, r.steps, r.baseRepository));
    }
    List<String> warnings = new ArrayList<>();
    List<String> unused = request.buildArgs().keySet().stream()
        .filter(k -> !consumed.contains(k) && !StagePlanner.isAutomaticArg(k)).sorted().toList();
    if (!unused.isEmpty()) {
      warnings.add("one or more build-args " + unused + " were not consumed");
    }
    return new BuildPlan(images, origins, warnings, dockerfile.fileName(), lines);
  }

  /** The Dockerfile split into global ARGs and stages. */
  private record Parsed(Dockerfile file, List<String> lines, List<Instruction.Arg> globalArgs, List<Stage> stages) {
    static Parsed of(Dockerfile df, List<String> lines) throws DockerfileException {
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
        throw new DockerfileException(df.fileName(), new dev.jbuild.parser.SourceRange(1, 1, 1, 1),
            "the Dockerfile has no FROM instruction", lines);
      }
      stages.add(new Stage(stages.size(), from, body));
      return new Parsed(df, lines, globals, stages);
    }

    int targetStage(Optional<String> target) throws DockerfileException {
      if (target.isEmpty()) {
        return stages.size() - 1;
      }
      Optional<Integer> i = find(target.get(), stages.size());
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
    Optional<Integer> find(String ref, int before) {
      for (int i = 0; i < before; i++) {
        Optional<String> n = stages.get(i).from.stageName();
        if (n.isPresent() && n.get().equalsIgnoreCase(ref)) {
          return Optional.of(i);
        }
      }
      if (ref.matches("\\d+") && Integer.parseInt(ref) < before) {
        return Optional.of(Integer.parseInt(ref));
      }
      return Optional.empty();
    }
  }

  private record Stage(int index, Instruction.From from, List<Instruction> body) {}

  private record StageResult(Vertex state, ImageConfig config, List<HistoryStep> steps, Platform platform,
      Optional<String> baseRepository) {}

  /** Plans the stages for one target platform. */
  private final class StagePlanner {
    private final Parsed parsed;
    private final BuildRequest request;
    private final Platform target;
    private final IdentityHashMap<Vertex, Instruction> origins;
    private final Set<String> consumed;
    private final Map<String, String> automatic = new LinkedHashMap<>();
    private final Map<String, String> globals = new LinkedHashMap<>();
    private final Map<Integer, StageResult> built = new LinkedHashMap<>();
    private final ShellExpander expander;

    StagePlanner(Parsed parsed, BuildRequest request, Platform target, IdentityHashMap<Vertex, Instruction> origins,
        Set<String> consumed) throws DockerfileException {
      this.parsed = parsed;
      this.request = request;
      this.target = target;
      this.origins = origins;
      this.consumed = consumed;
      this.expander = new ShellExpander(parsed.file.escape());
      putPlatformArgs("BUILD", buildPlatform);
      putPlatformArgs("TARGET", target);
      for (Instruction.Arg a : parsed.globalArgs) {
        for (Instruction.ArgDef d : a.args()) {
          consumed.add(d.name());
          String value = request.buildArgs().containsKey(d.name()) ? request.buildArgs().get(d.name())
              : d.defaultValue().isPresent() ? expand(d.defaultValue().get(), a, this::globalLookup) : null;
          globals.put(d.name(), value);
        }
      }
    }

    static boolean isAutomaticArg(String name) {
      return name.matches("(BUILD|TARGET)(PLATFORM|OS|ARCH|VARIANT)");
    }

    private void putPlatformArgs(String prefix, Platform p) {
      automatic.put(prefix + "PLATFORM", p.toString());
      automatic.put(prefix + "OS", p.os());
      automatic.put(prefix + "ARCH", p.architecture());
      automatic.put(prefix + "VARIANT", p.variant());
    }

    private String globalLookup(String name) {
      if (globals.containsKey(name)) {
        return globals.get(name);
      }
      return automatic.get(name);
    }

    StageResult build(int index) throws DockerfileException {
      StageResult done = built.get(index);
      if (done != null) {
        return done;
      }
      Stage stage = parsed.stages.get(index);
      StageResult r = new StageBuilder(stage).build();
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
      return new DockerfileException(parsed.file.fileName(), at.range(), message, parsed.lines);
    }

    ResolvedImage resolve(String ref, Platform platform, Instruction at) throws DockerfileException {
      String key = ref + "|" + platform;
      ResolvedImage r = resolved.get(key);
      if (r == null) {
        try {
          r = resolver.resolve(ref, platform);
        } catch (RegistryException e) {
          throw error(at, at.keyword() + " " + ref + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
          throw error(at, "invalid image reference \"" + ref + "\": " + e.getMessage());
        }
        resolved.put(key, r);
      }
      return r;
    }

    Vertex imageVertex(ResolvedImage image, Platform platform, Instruction at, String name) {
      List<Layer> layers = new ArrayList<>();
      List<String> diffIds = image.config().rootfs().diffIds();
      for (int i = 0; i < image.parsedManifest().layers().size(); i++) {
        layers.add(new Layer(image.parsedManifest().layers().get(i), dev.jbuild.oci.Digest.parse(diffIds.get(i))));
      }
      Vertex v = new Vertex(new Op.Image(image.ref().toString(), image.ref().repositoryName(), platform, layers), name);
      origins.put(v, at);
      return v;
    }

    /** Builds one stage's vertices and config, instruction by instruction. */
    private final class StageBuilder {
      private final Stage stage;
      private final Map<String, String> args = new LinkedHashMap<>();
      private Platform platform;
      private Vertex state;
      private ImageConfig config;
      private final List<HistoryStep> steps = new ArrayList<>();
      private Optional<String> baseRepository = Optional.empty();
      private boolean cmdSet;
      private int step;
      private int totalSteps;

      StageBuilder(Stage stage) {
        this.stage = stage;
        // like BuildKit, only instructions that become graph vertices are numbered
        this.totalSteps = 1 + (int) stage.body.stream().filter(i -> i instanceof Instruction.Run
            || i instanceof Instruction.Copy || i instanceof Instruction.Add || i instanceof Instruction.Workdir).count();
      }

      StageResult build() throws DockerfileException {
        from(stage.from);
        for (Instruction i : stage.body) {
          dispatch(i);
        }
        return new StageResult(state, config, steps, platform, baseRepository);
      }

      private String label() {
        String name = stage.from.stageName().map(n -> n + " ").orElse("");
        String plat = request.platforms().size() > 1 ? target + " " : "";
        return "[" + plat + name + step + "/" + totalSteps + "]";
      }

      /** A vertex for the next numbered step of this stage. */
      private Vertex vertex(Op op, Instruction at, String text) {
        step++;
        Vertex v = new Vertex(op, label() + " " + text);
        origins.put(v, at);
        return v;
      }

      private String lookup(String name) {
        String env = envValue(name);
        return env != null ? env : args.get(name);
      }

      private String envValue(String name) {
        for (String e : config.config().envOrEmpty()) {
          int eq = e.indexOf('=');
          if (eq > 0 && e.substring(0, eq).equals(name)) {
            return e.substring(eq + 1);
          }
        }
        return null;
      }

      private String x(String word, Instruction at) throws DockerfileException {
        return expand(word, at, this::lookup);
      }

      private void from(Instruction.From f) throws DockerfileException {
        String ref = expand(f.image(), f, StagePlanner.this::globalLookup);
        platform = target;
        step = 0;
        if (f.platform().isPresent()) {
          String p = expand(f.platform().get(), f, StagePlanner.this::globalLookup);
          try {
            platform = Platform.parse(p);
          } catch (IllegalArgumentException e) {
            throw error(f, "FROM --platform: " + e.getMessage());
          }
        }
        if (ref.isBlank()) {
          throw error(f, "FROM requires an image name; \"" + f.image() + "\" expands to an empty string");
        }
        Optional<Integer> parent = parsed.find(ref, stage.index);
        if (parent.isPresent()) {
          StageResult p = StagePlanner.this.build(parent.get());
          step = 1;
          state = p.state;
          config = p.config;
          steps.addAll(p.steps);
          baseRepository = p.baseRepository;
          platform = p.platform;
          return;
        }
        if (ref.equalsIgnoreCase("scratch")) {
          totalSteps--; // like BuildKit, scratch is no step of its own
          state = new Vertex(new Op.Scratch(), "FROM scratch");
          config = new ImageConfig(null, null, platform.architecture(), platform.os(), platform.indexVariant(),
              ImageConfig.Container.EMPTY.withEnv("PATH", DEFAULT_PATH), null, null);
          return;
        }
        ResolvedImage image = resolve(ref, platform, f);
        if (image.config().config().onBuild() != null && !image.config().config().onBuild().isEmpty()) {
          throw error(f, "the base image " + ref + " has ONBUILD triggers, which jbuild does not run yet");
        }
        step = 1;
        state = imageVertex(image, platform, f, label() + " FROM " + image.ref());
        baseRepository = Optional.of(image.ref().repositoryName());
        ImageConfig base = image.config();
        config = new ImageConfig(base.created(), base.author(), platform.architecture(), platform.os(),
            platform.indexVariant(), base.config().withoutOnBuild(), base.rootfs(), base.history());
        if (envValue("PATH") == null) {
          config = config.withConfig(config.config().withEnv("PATH", DEFAULT_PATH));
        }
      }

      private void dispatch(Instruction i) throws DockerfileException {
        if (i instanceof Instruction.Arg a) {
          arg(a);
        } else if (i instanceof Instruction.Env e) {
          env(e);
        } else if (i instanceof Instruction.Label l) {
          label(l);
        } else if (i instanceof Instruction.Workdir w) {
          workdir(w);
        } else if (i instanceof Instruction.Copy c) {
          copy(c);
        } else if (i instanceof Instruction.Run r) {
          run(r);
        } else if (i instanceof Instruction.Cmd c) {
          config = config.withConfig(config.config().withCmd(commandArgs(c.command())));
          cmdSet = true;
          history(i, "CMD " + jsonList(commandArgs(c.command())));
        } else if (i instanceof Instruction.Entrypoint e) {
          ImageConfig.Container c = config.config();
          List<String> cmd = c.cmd();
          c = c.withEntrypoint(commandArgs(e.command()));
          if (cmdSet) {
            c = c.withCmd(cmd);
          }
          config = config.withConfig(c);
          history(i, "ENTRYPOINT " + jsonList(commandArgs(e.command())));
        } else if (i instanceof Instruction.User u) {
          String user = x(u.user(), u);
          config = config.withConfig(config.config().withUser(user));
          history(i, "USER " + user);
        } else if (i instanceof Instruction.Expose e) {
          expose(e);
        } else if (i instanceof Instruction.Volume v) {
          ImageConfig.Container c = config.config();
          List<String> paths = new ArrayList<>();
          for (String p : v.paths()) {
            String path = x(p, v);
            if (path.isBlank()) {
              throw error(v, "VOLUME specified can not be an empty string");
            }
            paths.add(path);
            c = c.withVolume(path);
          }
          config = config.withConfig(c);
          history(i, "VOLUME " + jsonList(paths));
        } else if (i instanceof Instruction.StopSignal s) {
          String sig = x(s.signal(), s);
          config = config.withConfig(config.config().withStopSignal(sig));
          history(i, "STOPSIGNAL " + sig);
        } else if (i instanceof Instruction.Shell s) {
          config = config.withConfig(config.config().withShell(s.shell()));
          history(i, "SHELL " + jsonList(s.shell()));
        } else if (i instanceof Instruction.Maintainer m) {
          config = config.withAuthor(m.name());
          history(i, "MAINTAINER " + m.name());
        } else if (i instanceof Instruction.Onbuild o) {
          String trigger = o.original().replaceFirst("(?is)^\\s*ONBUILD\\s+", "");
          config = config.withConfig(config.config().withOnBuild(trigger));
          history(i, "ONBUILD " + trigger);
        } else if (i instanceof Instruction.Add a) {
          add(a);
        } else if (i instanceof Instruction.Healthcheck h) {
          healthcheck(h);
        } else {
          throw error(i, i.keyword() + " is not supported here");
        }
      }

      private void history(Instruction at, String createdBy) {
        steps.add(new HistoryStep(createdBy, Optional.empty()));
      }

      private void arg(Instruction.Arg a) throws DockerfileException {
        for (Instruction.ArgDef d : a.args()) {
          consumed.add(d.name());
          String value;
          if (request.buildArgs().containsKey(d.name())) {
            value = request.buildArgs().get(d.name());
          } else if (d.defaultValue().isPresent()) {
            value = x(d.defaultValue().get(), a);
          } else if (globals.containsKey(d.name())) {
            value = globals.get(d.name());
          } else {
            value = automatic.get(d.name());
          }
          args.put(d.name(), value);
        }
      }

      private void env(Instruction.Env e) throws DockerfileException {
        // every value sees the environment as it was before this instruction
        List<String[]> pairs = new ArrayList<>();
        for (KeyValue kv : e.pairs()) {
          pairs.add(new String[] {x(kv.key(), e), x(kv.value(), e)});
        }
        ImageConfig.Container c = config.config();
        StringBuilder text = new StringBuilder("ENV");
        for (String[] p : pairs) {
          c = c.withEnv(p[0], p[1]);
          text.append(' ').append(p[0]).append('=').append(p[1]);
        }
        config = config.withConfig(c);
        history(e, text.toString());
      }

      private void label(Instruction.Label l) throws DockerfileException {
        Map<String, String> labels = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder("LABEL");
        for (KeyValue kv : l.pairs()) {
          String k = x(kv.key(), l);
          String v = x(kv.value(), l);
          labels.put(k, v);
          text.append(' ').append(k).append('=').append(v);
        }
        config = config.withConfig(config.config().withLabels(labels));
        history(l, text.toString());
      }

      private void workdir(Instruction.Workdir w) throws DockerfileException {
        String path = x(w.path(), w);
        if (path.isBlank()) {
          throw error(w, "WORKDIR requires a path");
        }
        String dir = absolute(path);
        config = config.withConfig(config.config().withWorkingDir(dir));
        state = vertex(new Op.Mkdir(state, dir, 0755, Optional.ofNullable(config.config().user()).orElse("")), w,
            "WORKDIR " + dir);
        steps.add(new HistoryStep("WORKDIR " + dir, Optional.of(state)));
      }

      private String workingDir() {
        String wd = config.config().workingDir();
        return wd == null || wd.isEmpty() ? "/" : wd;
      }

      /** Resolves against WORKDIR and cleans; keeps a trailing '/' (it means "a directory"). */
      private String absolute(String path) {
        return containerPath(workingDir(), path, true);
      }

      private void copy(Instruction.Copy c) throws DockerfileException {
        CopyFlags o = c.options();
        transfer(c, "COPY", new TransferFlags(o.from(), o.chown(), o.chmod(), o.excludes(), o.parents(),
            Optional.empty(), Optional.empty(), false), c.sources(), c.destination(), c.heredocs());
      }

      private void add(Instruction.Add a) throws DockerfileException {
        AddFlags o = a.options();
        transfer(a, "ADD", new TransferFlags(Optional.empty(), o.chown(), o.chmod(), o.excludes(), false,
            o.checksum(), o.unpack(), o.keepGitDir()), a.sources(), a.destination(), a.heredocs());
      }

      /** COPY and ADD: sources from the context, a stage, an image, here-documents or (ADD) URLs. */
      private void transfer(Instruction at, String keyword, TransferFlags flags, List<String> rawSources, String rawDest,
          List<dev.jbuild.parser.Heredoc> heredocs) throws DockerfileException {
        boolean add = keyword.equals("ADD");
        Op.CopySource source = new Op.CopySource.Context(request.contextDir(), request.contextFilter());
        Optional<String> chown = Optional.empty();
        Optional<Integer> chmod = Optional.empty();
        Optional<dev.jbuild.oci.Digest> checksum = Optional.empty();
        boolean unpack = add && flags.unpack().orElse(true);
        boolean fromGiven = flags.from().isPresent();
        String fromText = "";
        if (!flags.excludes().isEmpty() || flags.parents() || flags.keepGitDir()) {
          String flag = !flags.excludes().isEmpty() ? "--exclude" : flags.parents() ? "--parents" : "--keep-git-dir";
          throw error(at, keyword + " " + flag + " is not supported by jbuild yet");
        }
        if (flags.from().isPresent()) {
          String ref = x(flags.from().get(), at);
          fromText = "--from=" + ref + " ";
          source = copySourceFrom(ref, at);
        }
        if (flags.chown().isPresent()) {
          chown = Optional.of(x(flags.chown().get(), at));
        }
        if (flags.chmod().isPresent()) {
          String m = x(flags.chmod().get(), at);
          if (!m.matches("[0-7]{3,4}")) {
            throw error(at, keyword + " --chmod=" + m + ": only octal modes are supported yet");
          }
          chmod = Optional.of(Integer.parseInt(m, 8));
        }
        // --link: same filesystem result; only layer reuse across bases differs
        if (flags.checksum().isPresent()) {
          String sum = x(flags.checksum().get(), at);
          try {
            checksum = Optional.of(dev.jbuild.oci.Digest.parse(sum));
          } catch (IllegalArgumentException e) {
            throw error(at, "ADD --checksum=" + sum + ": expected sha256:<64 hex digits>");
          }
        }
        List<String> sources = new ArrayList<>();
        for (String s : rawSources) {
          sources.add(x(s, at));
        }
        String dest = absolute(x(rawDest, at));
        int count = sources.size() + heredocs.size();
        if (count > 1 && !dest.endsWith("/")) {
          throw error(at, "When using " + keyword + " with more than one source file, the destination must be a directory and end with a /");
        }
        String text = keyword + " " + fromText + String.join(" ", sources)
            + heredocs.stream().map(h -> " <<" + h.name()).reduce("", String::concat) + " " + x(rawDest, at);
        if (!heredocs.isEmpty()) {
          if (!sources.isEmpty()) {
            throw error(at, keyword + " with both files and here-documents is not supported by jbuild yet");
          }
          List<Op.InlineFile> files = new ArrayList<>();
          for (dev.jbuild.parser.Heredoc h : heredocs) {
            files.add(new Op.InlineFile(h.name(), h.expand() ? x(quoteForExpansion(h.content()), at) : h.content()));
          }
          Vertex inline = new Vertex(new Op.Inline(files), "[internal] here-documents for " + keyword);
          source = new Op.CopySource.State(inline);
          sources = files.stream().map(Op.InlineFile::name).toList();
          unpack = false;
        } else if (add && sources.stream().anyMatch(DockerfileFrontend::isUrl)) {
          if (sources.size() > 1) {
            throw error(at, "ADD with a URL and other sources is not supported by jbuild yet; use one ADD per URL");
          }
          String url = sources.get(0);
          try {
            java.net.URI.create(url);
          } catch (IllegalArgumentException e) {
            throw error(at, "ADD " + url + ": invalid URL");
          }
          if (isGitUrl(url)) {
            throw error(at, "ADD of a git repository is not supported by jbuild yet");
          }
          String name = downloadName(url);
          Vertex http = new Vertex(new Op.Http(url, checksum, name), "[internal] download " + url);
          origins.put(http, at);
          source = new Op.CopySource.State(http);
          sources = List.of(name);
          unpack = flags.unpack().orElse(false);
        } else if (checksum.isPresent()) {
          throw error(at, "ADD --checksum is only supported with a URL source");
        }
        if (fromGiven && add) {
          throw error(at, "ADD does not support --from; use COPY --from");
        }
        state = vertex(new Op.Copy(state, source, sources, dest, chown, chmod, unpack), at, text);
        steps.add(new HistoryStep(text, Optional.of(state)));
      }

      private void healthcheck(Instruction.Healthcheck h) throws DockerfileException {
        if (h.command().isEmpty()) {
          config = config.withConfig(config.config().withHealthcheck(
              new ImageConfig.Healthcheck(List.of("NONE"), null, null, null, null, null)));
          history(h, "HEALTHCHECK NONE");
          return;
        }
        List<String> test = new ArrayList<>();
        if (h.command().get() instanceof Command.Exec e) {
          test.add("CMD");
          test.addAll(e.args());
        } else {
          test.add("CMD-SHELL");
          test.add(((Command.Shell) h.command().get()).script());
        }
        HealthcheckFlags o = h.options();
        Long interval = o.interval().map(java.time.Duration::toNanos).orElse(null);
        Long timeout = o.timeout().map(java.time.Duration::toNanos).orElse(null);
        Long startPeriod = o.startPeriod().map(java.time.Duration::toNanos).orElse(null);
        Long startInterval = o.startInterval().map(java.time.Duration::toNanos).orElse(null);
        Integer retries = o.retries().orElse(null);
        config = config.withConfig(config.config().withHealthcheck(
            new ImageConfig.Healthcheck(test, interval, timeout, startPeriod, startInterval, retries)));
        history(h, "HEALTHCHECK " + jsonList(test));
      }

      private Op.CopySource copySourceFrom(String ref, Instruction at) throws DockerfileException {
        Optional<Integer> stageIndex = parsed.find(ref, stage.index);
        if (stageIndex.isPresent()) {
          return new Op.CopySource.State(StagePlanner.this.build(stageIndex.get()).state);
        }
        if (parsed.find(ref, parsed.stages.size()).isPresent()) {
          throw error(at, "COPY --from=" + ref + " refers to a stage that is defined later; stages can only copy from earlier stages");
        }
        ResolvedImage image = resolve(ref, platform, at);
        return new Op.CopySource.State(imageVertex(image, platform, at, "[" + target + "] FROM " + image.ref()));
      }

      private void run(Instruction.Run r) throws DockerfileException {
        dev.jbuild.solver.RunOptions options = request.runOptions();
        NetworkMode network = options.network();
        dev.jbuild.nativeexec.Security security = dev.jbuild.nativeexec.Security.SANDBOX;
        List<dev.jbuild.solver.RunMount> mounts = new ArrayList<>();
        RunMountParser mountParser = new RunMountParser(workingDir(),
            new Op.CopySource.Context(request.contextDir(), request.contextFilter()), ref -> {
              Op.CopySource s = copySourceFrom(ref, r);
              return (Op.CopySource.State) s;
            });
        RunFlags o = r.options();
        network = switch (o.network()) {
          case DEFAULT -> options.network();
          case NONE -> NetworkMode.NONE;
          case HOST -> {
            requireEntitlement(r, dev.jbuild.solver.Entitlement.NETWORK_HOST, "RUN --network=host");
            yield NetworkMode.HOST;
          }
        };
        if (o.security() == RunFlags.Security.INSECURE) {
          requireEntitlement(r, dev.jbuild.solver.Entitlement.SECURITY_INSECURE, "RUN --security=insecure");
          security = dev.jbuild.nativeexec.Security.INSECURE;
        }
        if (!o.devices().isEmpty()) {
          throw error(r, "RUN --device is not supported by jbuild yet");
        }
        for (String raw : o.mounts()) {
          String value = x(raw, r);
          try {
            mounts.add(mountParser.parse(value));
          } catch (DockerfileException e) {
            throw e;
          } catch (Exception e) {
            throw error(r, "RUN --mount=" + value + ": " + e.getMessage());
          }
        }
        List<String> argv = r.heredocs().isEmpty() ? commandArgs(r.command()) : heredocArgs(r, mounts);
        List<String> env = runEnv();
        mounts.stream().filter(m -> m instanceof dev.jbuild.solver.RunMount.Ssh).findFirst().ifPresent(ssh -> {
          if (env.stream().noneMatch(e -> e.startsWith("SSH_AUTH_SOCK="))) { // as BuildKit: the first agent
            env.add("SSH_AUTH_SOCK=" + ssh.target());
          }
        });
        state = vertex(new Op.Exec(state, argv, env, workingDir(),
            Optional.ofNullable(config.config().user()).orElse(""), network, platform, mounts, security), r,
            "RUN " + commandText(r.command()));
        steps.add(new HistoryStep("RUN " + String.join(" ", argv), Optional.of(state)));
      }

      private void requireEntitlement(Instruction at, dev.jbuild.solver.Entitlement e, String what)
          throws DockerfileException {
        if (!request.runOptions().allows(e)) {
          throw error(at, what + " needs the " + e.flagName() + " entitlement: add --allow " + e.flagName()
              + " to the build command");
        }
      }

      /**
       * RUN with here-documents, as BuildKit runs them: a lone {@code <<EOF} runs its body with the
       * shell, or, when the body starts with {@code #!}, as an executable file mounted at
       * /dev/pipes/EOF; any other command line goes to the shell whole, bodies and delimiters
       * appended, so the shell itself reads the here-documents.
       */
      private List<String> heredocArgs(Instruction.Run r, List<dev.jbuild.solver.RunMount> mounts)
          throws DockerfileException {
        if (!(r.command() instanceof Command.Shell sh)) {
          throw error(r, "here-documents need the shell form of RUN");
        }
        dev.jbuild.parser.Heredoc first = r.heredocs().get(0);
        java.util.regex.Matcher lone = java.util.regex.Pattern.compile("\\s*\\d*<<-?([\"']?)(.+)\\1\\s*")
            .matcher(sh.script());
        if (r.heredocs().size() == 1 && lone.matches() && lone.group(2).equals(first.name())) {
          if (first.content().startsWith("#!")) {
            String script = "/dev/pipes/" + first.name();
            mounts.add(new dev.jbuild.solver.RunMount.Script(script, first.content(), 0755));
            return commandArgs(new Command.Shell(script));
          }
          return commandArgs(new Command.Shell(first.content()));
        }
        StringBuilder full = new StringBuilder(sh.script());
        for (dev.jbuild.parser.Heredoc h : r.heredocs()) {
          full.append('\n').append(h.content()).append(h.name());
        }
        return commandArgs(new Command.Shell(full.toString()));
      }

      private String commandText(Command c) {
        return c instanceof Command.Shell s ? s.script() : jsonList(((Command.Exec) c).args());
      }

      /** The image env, then declared build args the env does not set (as BuildKit does). */
      private List<String> runEnv() {
        List<String> env = new ArrayList<>(config.config().envOrEmpty());
        Set<String> names = new HashSet<>();
        for (String e : env) {
          names.add(e.contains("=") ? e.substring(0, e.indexOf('=')) : e);
        }
        for (Map.Entry<String, String> a : args.entrySet()) {
          if (a.getValue() != null && !names.contains(a.getKey())) {
            env.add(a.getKey() + "=" + a.getValue());
          }
        }
        if (!names.contains("PATH")) {
          env.add("PATH=" + DEFAULT_PATH);
        }
        return env;
      }

      private List<String> commandArgs(Command c) {
        if (c instanceof Command.Exec e) {
          return e.args();
        }
        List<String> shell = config.config().shell() == null || config.config().shell().isEmpty()
            ? DEFAULT_SHELL : config.config().shell();
        List<String> out = new ArrayList<>(shell);
        out.add(((Command.Shell) c).script());
        return out;
      }

      private void expose(Instruction.Expose e) throws DockerfileException {
        ImageConfig.Container c = config.config();
        List<String> ports = new ArrayList<>();
        for (String raw : e.ports()) {
          for (String p : x(raw, e).split("\\s+")) {
            if (p.isEmpty()) {
              continue;
            }
            String port = p.contains("/") ? p.substring(0, p.indexOf('/')) + "/" + p.substring(p.indexOf('/') + 1).toLowerCase(Locale.ROOT)
                : p + "/tcp";
            if (!port.matches("\\d+(-\\d+)?/(tcp|udp|sctp)")) {
              throw error(e, "invalid port for EXPOSE: " + p);
            }
            ports.add(port);
            c = c.withExposedPort(port);
          }
        }
        config = config.withConfig(c);
        history(e, "EXPOSE " + String.join(" ", ports));
      }
    }
  }

  /**
   * {@code path} resolved against {@code base} (both container paths) and cleaned; ".." stops at
   * "/". With {@code keepDirSlash}, a trailing '/' (or "." meaning "this directory") is kept.
   */
  static String containerPath(String base, String path, boolean keepDirSlash) {
    String joined = path.startsWith("/") ? path : base + "/" + path;
    boolean dir = keepDirSlash && (path.endsWith("/") || path.equals(".") || path.endsWith("/."));
    List<String> parts = new ArrayList<>();
    for (String p : joined.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(p);
      }
    }
    String clean = "/" + String.join("/", parts);
    return dir && !clean.equals("/") ? clean + "/" : clean;
  }

  static boolean isUrl(String s) {
    return s.startsWith("http://") || s.startsWith("https://");
  }

  /** The file name ADD gives a download: the last segment of the URL path. */
  static String downloadName(String url) {
    String path = java.net.URI.create(url).getPath();
    if (path == null || path.isEmpty() || path.endsWith("/")) {
      return "__unnamed__";
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static boolean isGitUrl(String s) {
    return s.startsWith("git@") || s.startsWith("git://") || s.matches("https?://.*\\.git(#.*)?$");
  }

  /**
   * A here-document body is expanded like a double-quoted word would be, without its quotes
   * being removed: wrap it so the expander keeps quotes and whitespace as they are.
   */
  private static String quoteForExpansion(String content) {
    return "\"" + content.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String jsonList(List<String> items) {
    return new String(dev.jbuild.oci.Json.write(items), java.nio.charset.StandardCharsets.UTF_8);
  }
}
