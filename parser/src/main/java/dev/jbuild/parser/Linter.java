package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * BuildKit's build checks that can be decided from the Dockerfile itself (see
 * https://docs.docker.com/reference/build-checks/): rule names, messages and documentation links
 * as BuildKit reports them, honouring the {@code # check=} directive.
 *
 * <p>Where a rule depends on the base image (the environment it defines), the caller can say
 * what it knows through {@code imageEnv}; without it, UndefinedVar is only reported in stages
 * built on {@code scratch}, so that no warning is ever a guess. JSONArgsRecommended assumes the
 * base image sets no shell (BuildKit skips it when the image config has one).
 */
public final class Linter {
  private static final Map<String, Optional<String>> UNKNOWN_AUTOMATIC_ARGS = unknownAutomaticArgs();
  private static final Set<String> RESERVED_STAGE_NAMES = Set.of("context", "scratch");
  private static final Pattern SECRET = Pattern.compile(
      "(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)");
  private static final Pattern PUBLIC = Pattern.compile("(?i)(?:_|^)public(?:_|$)");
  // The reference grammar of the distribution project: [domain/]path[:tag][@digest].
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  /** Compiled on first use: most Dockerfiles never need it, and startup matters. */
  private static final class ImageReference {
    static final Pattern PATTERN = Pattern.compile(
        "(?:" + DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*(?::[0-9]+)?/)?"
            + COMPONENT + "(?:/" + COMPONENT + ")*"
            + "(?::[\\w][\\w.-]{0,127})?"
            + "(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?");
  }

  // Small classes rather than lambdas here: each first lambda costs a bootstrap at startup.
  private static final Function<String, Set<String>> NO_IMAGE_ENV = new NoImageEnv();
  private static final Comparator<LintWarning> SOURCE_ORDER = new SourceOrder();

  private static final class NoImageEnv implements Function<String, Set<String>> {
    @Override
    public Set<String> apply(String image) {
      return null;
    }
  }

  private static final class SourceOrder implements Comparator<LintWarning> {
    @Override
    public int compare(LintWarning a, LintWarning b) {
      int byLine = Integer.compare(a.range().startLine(), b.range().startLine());
      return byLine != 0 ? byLine : Integer.compare(a.range().startColumn(), b.range().startColumn());
    }
  }

  private Linter() {}

  private static Map<String, Optional<String>> unknownAutomaticArgs() {
    Map<String, Optional<String>> m = new LinkedHashMap<>();
    for (String name : ArgScopes.AUTOMATIC_ARGS) {
      m.put(name, Optional.empty());
    }
    return m;
  }

  /**
   * The warnings for a Dockerfile, in source order, with its {@code # check=} directive applied
   * and nothing known about base images.
   *
   * @throws DockerfileException if the check directive cannot be read
   */
  public static List<LintWarning> lint(Dockerfile dockerfile) throws DockerfileException {
    return lint(dockerfile, CheckConfig.of(dockerfile), NO_IMAGE_ENV);
  }

  /**
   * The warnings for a Dockerfile, in source order.
   *
   * @param config the checks to run (e.g. {@link CheckConfig#of}, or one parsed from the
   *     {@code BUILDKIT_DOCKERFILE_CHECK} build argument)
   * @param imageEnv the names of the environment variables an image defines (the image
   *     reference as written in FROM, expanded with the global ARG defaults), or null when
   *     unknown; {@code scratch} is always known
   */
  public static List<LintWarning> lint(Dockerfile dockerfile, CheckConfig config,
      Function<String, Set<String>> imageEnv) {
    List<LintWarning> all = new Pass(dockerfile, imageEnv).run();
    List<LintWarning> out = new ArrayList<>();
    for (LintWarning w : all) {
      if (config.checks(w.rule())) {
        out.add(w);
      }
    }
    out.sort(SOURCE_ORDER);
    return List.copyOf(out);
  }

  /**
   * Fails when the configuration asks for it ({@code # check=error=true}) and there are warnings:
   * the exception is located at the first one and lists them all.
   */
  public static void failOnWarnings(Dockerfile dockerfile, CheckConfig config,
      List<LintWarning> warnings) throws DockerfileException {
    if (!config.error() || warnings.isEmpty()) {
      return;
    }
    Set<String> rules = new LinkedHashSet<>();
    StringBuilder details = new StringBuilder();
    for (LintWarning w : warnings) {
      rules.add(w.rule());
      details.append("\n  ").append(w.summary());
    }
    throw new DockerfileException(dockerfile.fileName(), warnings.get(0).range(),
        "lint violation found for rules: " + String.join(", ", rules) + details, List.of());
  }

  /** Whether an ARG or ENV name looks like it holds a secret (BuildKit's word list). */
  static boolean isSecretName(String name) {
    return SECRET.matcher(name).find() && !PUBLIC.matcher(name).find();
  }

  static boolean isImageReference(String s) {
    return ImageReference.PATTERN.matcher(s).matches();
  }

  /** A word expanded for checking: which variables it used, and whether its value is certain. */
  private record Expansion(String value, Set<String> unmatched, boolean certain, boolean usesVariables) {}

  private static final class Stage {
    final String name;
    final boolean envKnown;
    /** Defined names; an empty value means defined but not known (a build arg, an image variable). */
    final Map<String, Optional<String>> env = new LinkedHashMap<>();
    boolean shell;
    boolean absoluteWorkdir;
    final Map<String, Instruction> lastOnce = new HashMap<>();

    Stage(String name, Stage parent, Set<String> baseEnv) {
      this.name = name;
      if (parent != null) {
        envKnown = parent.envKnown;
        env.putAll(parent.env);
        shell = parent.shell;
        absoluteWorkdir = parent.absoluteWorkdir;
      } else {
        envKnown = baseEnv != null;
        if (baseEnv != null) {
          for (String k : baseEnv) {
            env.put(k, Optional.empty());
          }
        }
      }
    }
  }

  /** Variable values from a scope, noting what the expansion used. */
  private static final class ScopeLookup implements Function<String, String> {
    final Map<String, Optional<String>> scope;
    final Set<String> unmatched = new LinkedHashSet<>();
    boolean uncertain;
    boolean used;

    ScopeLookup(Map<String, Optional<String>> scope) {
      this.scope = scope;
    }

    @Override
    public String apply(String name) {
      used = true;
      Optional<String> v = scope.get(name);
      if (v == null) {
        unmatched.add(name);
        return null;
      }
      if (v.isEmpty()) {
        uncertain = true;
        return "";
      }
      return v.get();
    }
  }

  /** One pass over one Dockerfile. */
  private static final class Pass {
    private final Dockerfile dockerfile;
    private final Function<String, Set<String>> imageEnv;
    private final ShellExpander expander;
    private final List<LintWarning> warnings = new ArrayList<>();
    private final Map<String, Optional<String>> globalArgs = new LinkedHashMap<>();
    /** The stages and their lookup, as the frontend builds them. */
    private final DockerfileStages split;
    /** What is known inside each stage so far, by stage index. */
    private final List<Stage> stages = new ArrayList<>();
    private Stage stage;
    private int stageIndex;

    Pass(Dockerfile dockerfile, Function<String, Set<String>> imageEnv) {
      this.dockerfile = dockerfile;
      this.imageEnv = imageEnv;
      this.expander = new ShellExpander(dockerfile.escape());
      try {
        this.split = DockerfileStages.of(dockerfile, List.of());
      } catch (DockerfileException e) { // the parser only returns Dockerfiles with a FROM and only ARGs before it
        throw new IllegalArgumentException("not a parsed Dockerfile: " + e.getMessage(), e);
      }
    }

    List<LintWarning> run() {
      casing();
      for (Instruction.Arg a : split.globalArgs()) {
        rejoined(a);
        globalArg(a);
      }
      for (DockerfileStages.Stage s : split.stages()) {
        from(s.index(), s.from(), rejoined(s.from()));
        for (Instruction i : s.body()) {
          inStage(i, rejoined(i));
        }
      }
      return warnings;
    }

    /** The instruction's text on one line, warning about empty continuation lines. */
    private String rejoined(Instruction i) {
      LineJoiner.Rejoined text = LineJoiner.rejoin(i.original(), dockerfile.escape());
      if (text.emptyContinuation()) {
        warn(LintRule.NO_EMPTY_CONTINUATION, i.range(), "Empty continuation line found in: " + text.text());
      }
      return text.text();
    }

    private void warn(LintRule rule, SourceRange range, String message) {
      warnings.add(rule.warn(range, message));
    }

    // ---- whole file ----

    private void casing() {
      int lower = 0;
      int upper = 0;
      for (Instruction i : dockerfile.instructions()) {
        String kw = keywordAsWritten(i);
        if (kw.equals(kw.toLowerCase(Locale.ROOT))) {
          lower++;
        } else if (kw.equals(kw.toUpperCase(Locale.ROOT))) {
          upper++;
        }
      }
      boolean majorityLower = lower > upper;
      for (Instruction i : dockerfile.instructions()) {
        String kw = keywordAsWritten(i);
        String expected = majorityLower ? kw.toLowerCase(Locale.ROOT) : kw.toUpperCase(Locale.ROOT);
        if (!kw.equals(expected)) {
          SourceRange r = i.range();
          warn(LintRule.CONSISTENT_INSTRUCTION_CASING,
              new SourceRange(r.startLine(), r.startColumn(), r.startLine(), r.startColumn() + kw.length() - 1),
              "Command '" + kw + "' should match the case of the command majority ("
                  + (majorityLower ? "lowercase" : "uppercase") + ")");
        }
      }
    }

    private static String keywordAsWritten(Instruction i) {
      String o = i.original();
      int end = 0;
      while (end < o.length() && !ShellWords.isSpace(o.charAt(end))) {
        end++;
      }
      return o.substring(0, end);
    }

    // ---- global scope ----

    private void globalArg(Instruction.Arg arg) {
      for (Instruction.ArgDef def : arg.args()) {
        secret("ARG", def.name(), arg.range());
        Optional<String> value = Optional.empty();
        if (def.defaultValue().isPresent()) {
          Expansion e = expand(def.defaultValue().get(), globalScope());
          value = e != null && e.certain() ? Optional.of(e.value()) : Optional.empty();
        }
        globalArgs.put(def.name(), value);
      }
    }

    /** What FROM sees (ArgScopes' rule): the global ARGs and the automatic platform ARGs, whose values are unknown. */
    private Map<String, Optional<String>> globalScope() {
      return ArgScopes.fromScope(UNKNOWN_AUTOMATIC_ARGS, globalArgs);
    }

    // ---- FROM ----

    private void from(int index, Instruction.From from, String text) {
      stageIndex = index;
      List<Words.Word> words = Words.byBlanks(text, 0, text.length());
      String kw = words.get(0).text();
      SourceRange range = from.range();
      Map<String, Optional<String>> scope = globalScope();
      if (from.stageName().isPresent() && words.size() >= 3) {
        String as = words.get(words.size() - 2).text();
        String raw = words.get(words.size() - 1).text();
        stageName(range, kw, as, raw, from.stageName().get());
      }
      for (Flag f : from.flags()) {
        if (f.name().equals("platform") && f.value().isPresent()) {
          platform(range, f.value().get(), from.stageName().orElse(""), scope);
        }
      }
      Expansion image = expand(from.image(), scope);
      if (image != null) {
        undeclared(range, image.unmatched(), scope);
      }
      if (image != null && image.usesVariables()) {
        invalidDefault(range, from.image());
      }
      Stage parent = null;
      Set<String> baseEnv = null;
      if (image != null && image.certain()) {
        parent = split.findByName(image.value(), stageIndex).map(stages::get).orElse(null);
        baseEnv = image.value().equals("scratch") ? Set.of("PATH") : imageEnv.apply(image.value());
      }
      stage = new Stage(from.stageName().orElse(null), parent, baseEnv);
      stages.add(stage);
    }

    private void stageName(SourceRange range, String from, String as, String raw, String name) {
      boolean fromUpper = from.equals(from.toUpperCase(Locale.ROOT));
      boolean fromLower = from.equals(from.toLowerCase(Locale.ROOT));
      if (fromUpper && !as.equals(as.toUpperCase(Locale.ROOT))
          || fromLower && !as.equals(as.toLowerCase(Locale.ROOT))) {
        warn(LintRule.FROM_AS_CASING, range, "'" + as + "' and '" + from + "' keywords' casing do not match");
      }
      if (!raw.equals(raw.toLowerCase(Locale.ROOT))) {
        warn(LintRule.STAGE_NAME_CASING, range, "Stage name '" + raw + "' should be lowercase");
      }
      if (RESERVED_STAGE_NAMES.contains(name)) {
        warn(LintRule.RESERVED_STAGE_NAME, range, "'" + name + "' is reserved and should not be used as a stage name");
      }
      if (split.findByName(name, stageIndex).isPresent()) {
        warn(LintRule.DUPLICATE_STAGE_NAME, range, "Duplicate stage name '" + name + "', stage names should be unique");
      }
    }

    private void platform(SourceRange range, String raw, String stageName, Map<String, Optional<String>> scope) {
      String value = unquote(raw);
      if (value.equals("$TARGETPLATFORM") || value.equals("${TARGETPLATFORM}")) {
        warn(LintRule.REDUNDANT_TARGET_PLATFORM, range,
            "Setting platform to predefined " + value + " in FROM is redundant as this is the default behavior");
      }
      Expansion e = expand(raw, scope);
      if (e == null) {
        return;
      }
      undeclared(range, e.unmatched(), scope);
      if (!e.usesVariables()) {
        // A stage named for its platform (build_amd64) is the documented exception.
        String[] parts = e.value().toLowerCase(Locale.ROOT).split("/");
        boolean named = false;
        for (int k = 0; k < Math.min(2, parts.length); k++) {
          named |= !parts[k].isEmpty() && stageName.contains(parts[k]);
        }
        if (!named) {
          warn(LintRule.FROM_PLATFORM_FLAG_CONST_DISALLOWED, range,
              "FROM --platform flag should not use constant value \"" + e.value() + "\"");
        }
      }
    }

    private void undeclared(SourceRange range, Set<String> unmatched, Map<String, Optional<String>> scope) {
      for (String name : unmatched) {
        warn(LintRule.UNDEFINED_ARG_IN_FROM, range,
            "FROM argument '" + name + "' is not declared" + suggestion(name, scope.keySet(), ""));
      }
    }

    /** With only the defaults of the global ARGs, the image must still be a valid reference. */
    private void invalidDefault(SourceRange range, String image) {
      Map<String, Optional<String>> defaults = new LinkedHashMap<>();
      for (Map.Entry<String, Optional<String>> a : globalArgs.entrySet()) {
        defaults.put(a.getKey(), Optional.of(a.getValue().orElse("")));
      }
      Expansion e = expand(image, defaults);
      if (e == null) {
        return;
      }
      for (String name : e.unmatched()) {
        if (ArgScopes.isAutomaticArg(name)) {
          return; // its value depends on the build, not on a default
        }
      }
      String v = e.value();
      if (v.isEmpty() || !isImageReference(v) && split.findByName(v, stageIndex).isEmpty()) {
        warn(LintRule.INVALID_DEFAULT_ARG_IN_FROM, range,
            "Default value for ARG " + image + " results in empty or invalid base image name");
      }
    }

    // ---- inside a stage ----

    private void inStage(Instruction i, String text) {
      SourceRange range = i.range();
      if (i instanceof Instruction.Arg arg) {
        Map<String, Optional<String>> before = new LinkedHashMap<>(stage.env);
        for (Instruction.ArgDef def : arg.args()) {
          secret("ARG", def.name(), range);
          Optional<String> value = Optional.empty();
          if (def.defaultValue().isPresent()) {
            Expansion e = checked(def.defaultValue().get(), before, range);
            value = e != null && e.certain() ? Optional.of(e.value()) : Optional.empty();
          } else { // without a default, a stage ARG takes the value FROM saw, as in the frontend
            Optional<String> seen = ArgScopes.fromLookup(UNKNOWN_AUTOMATIC_ARGS, globalArgs, def.name());
            value = seen != null ? seen : Optional.empty();
          }
          stage.env.put(def.name(), value);
        }
      } else if (i instanceof Instruction.Env env) {
        keyValues("ENV", env.pairs(), text, range, true);
      } else if (i instanceof Instruction.Label label) {
        keyValues("LABEL", label.pairs(), text, range, false);
      } else if (i instanceof Instruction.Maintainer) {
        warn(LintRule.MAINTAINER_DEPRECATED, range, "MAINTAINER instruction is deprecated in favor of using label");
      } else if (i instanceof Instruction.Cmd cmd) {
        once("CMD", i);
        jsonArgs("CMD", cmd.command(), range);
      } else if (i instanceof Instruction.Entrypoint ep) {
        once("ENTRYPOINT", i);
        jsonArgs("ENTRYPOINT", ep.command(), range);
      } else if (i instanceof Instruction.Healthcheck) {
        once("HEALTHCHECK", i);
      } else if (i instanceof Instruction.Shell) {
        stage.shell = true;
      } else if (i instanceof Instruction.Workdir w) {
        workdir(w, range);
      } else if (i instanceof Instruction.Expose e) {
        for (String port : e.ports()) {
          expose(port, range);
        }
      } else if (i instanceof Instruction.Copy c) {
        copy(c.flags(), c.sources(), c.destination(), range);
      } else if (i instanceof Instruction.Add a) {
        copy(a.flags(), a.sources(), a.destination(), range);
      } else if (i instanceof Instruction.User u) {
        checked(u.user(), stage.env, range);
      } else if (i instanceof Instruction.StopSignal s) {
        checked(s.signal(), stage.env, range);
      } else if (i instanceof Instruction.Volume v) {
        for (String p : v.paths()) {
          checked(p, stage.env, range);
        }
      }
    }

    private void keyValues(String keyword, List<KeyValue> pairs, String text, SourceRange range, boolean isEnv) {
      List<Words.Word> words = Words.byBlanks(text, 0, text.length());
      int argsStart = words.size() > 1 ? words.get(1).start() : text.length();
      List<Words.Word> args = Words.quoteAware(text, argsStart, text.length(), dockerfile.escape());
      if (!args.isEmpty() && !args.get(0).text().contains("=")) {
        warn(LintRule.LEGACY_KEY_VALUE_FORMAT, range, "\"" + keyword + " key=value\" should be used instead of legacy \""
            + keyword + " key value\" format");
      }
      Map<String, Optional<String>> before = new LinkedHashMap<>(stage.env);
      for (KeyValue kv : pairs) {
        Expansion key = checked(kv.key(), before, range);
        Expansion value = checked(kv.value(), before, range);
        if (isEnv) {
          String name = key != null ? key.value() : kv.key();
          secret("ENV", name, range);
          stage.env.put(name, value != null && value.certain() ? Optional.of(value.value()) : Optional.empty());
        }
      }
    }

    private void secret(String keyword, String name, SourceRange range) {
      String n = unquote(name);
      if (isSecretName(n)) {
        warn(LintRule.SECRETS_USED_IN_ARG_OR_ENV, range,
            "Do not use ARG or ENV instructions for sensitive data (" + keyword + " \"" + n + "\")");
      }
    }

    /** CMD, ENTRYPOINT, HEALTHCHECK: only the last one of a stage counts. */
    private void once(String keyword, Instruction i) {
      Instruction previous = stage.lastOnce.put(keyword, i);
      if (previous != null) {
        warn(LintRule.MULTIPLE_INSTRUCTIONS_DISALLOWED, previous.range(), "Multiple " + keyword
            + " instructions should not be used in the same stage because only the last one will be used");
      }
    }

    private void jsonArgs(String keyword, Command command, SourceRange range) {
      if (command instanceof Command.Shell && !stage.shell) {
        warn(LintRule.JSON_ARGS_RECOMMENDED, range, "JSON arguments recommended for " + keyword
            + " to prevent unintended behavior related to OS signals");
      }
    }

    private void workdir(Instruction.Workdir w, SourceRange range) {
      Expansion e = checked(w.path(), stage.env, range);
      if (e == null || !e.certain() || !stage.envKnown && !e.unmatched().isEmpty()) {
        return; // the path depends on values this check cannot know
      }
      String path = e.value();
      boolean absolute = path.startsWith("/") || path.startsWith("\\")
          || path.length() >= 3 && Character.isLetter(path.charAt(0)) && path.charAt(1) == ':'
              && (path.charAt(2) == '\\' || path.charAt(2) == '/');
      if (absolute) {
        stage.absoluteWorkdir = true;
      } else if (!stage.absoluteWorkdir) {
        warn(LintRule.WORKDIR_RELATIVE_PATH, range,
            "Relative workdir '" + path + "' can have unexpected results if the base image changes");
      }
    }

    private void expose(String port, SourceRange range) {
      Expansion e = checked(port, stage.env, range);
      if (e == null || !e.certain()) {
        return;
      }
      String p = e.value();
      if (p.contains(":")) {
        warn(LintRule.EXPOSE_INVALID_FORMAT, range,
            "EXPOSE instruction should not define an IP address or host-port mapping, found '" + p + "'");
      }
      int slash = p.indexOf('/');
      if (slash >= 0) {
        String proto = p.substring(slash + 1);
        if (!proto.equals(proto.toLowerCase(Locale.ROOT))) {
          warn(LintRule.EXPOSE_PROTO_CASING, range,
              "Defined protocol '" + p + "' in EXPOSE instruction should be lowercase");
        }
      }
    }

    private void copy(List<Flag> flags, List<String> sources, String destination, SourceRange range) {
      for (Flag f : flags) {
        if ((f.name().equals("chown") || f.name().equals("chmod") || f.name().equals("from"))
            && f.value().isPresent()) {
          checked(f.value().get(), stage.env, range);
        }
      }
      for (String s : sources) {
        checked(s, stage.env, range);
      }
      checked(destination, stage.env, range);
    }

    /** Expands a word in the stage's scope, reporting UndefinedVar when that is decidable. */
    private Expansion checked(String word, Map<String, Optional<String>> scope, SourceRange range) {
      Expansion e = expand(word, scope);
      if (e == null || !stage.envKnown) {
        return e;
      }
      for (String name : e.unmatched()) {
        if (ArgScopes.isAutomaticArg(name)) {
          continue;
        }
        Set<String> options = new LinkedHashSet<>(scope.keySet());
        options.addAll(globalArgs.keySet());
        warn(LintRule.UNDEFINED_VAR, range,
            "Usage of undefined variable '$" + name + "'" + suggestion(name, options, "$"));
      }
      return e;
    }

    private Expansion expand(String word, Map<String, Optional<String>> scope) {
      ScopeLookup lookup = new ScopeLookup(scope);
      try {
        String value = expander.expand(word, lookup);
        return new Expansion(value, lookup.unmatched, !lookup.uncertain, lookup.used);
      } catch (ExpansionException e) {
        return null;
      }
    }

    /** The word with quotes and escapes removed but {@code $} references left as written. */
    private String unquote(String word) {
      try {
        String hidden = word.replace("$", "\u0000");
        return expander.expand(hidden, ShellWords.NO_VARIABLES).replace("\u0000", "$");
      } catch (ExpansionException e) {
        return word;
      }
    }

    private static String suggestion(String name, Set<String> options, String prefix) {
      List<String> others = new ArrayList<>();
      for (String o : options) {
        if (!o.equals(name)) {
          others.add(o);
        }
      }
      String s = Suggestions.closest(name, others);
      return s == null ? "" : " (did you mean " + prefix + s + "?)";
    }
  }
}
