package dev.jbuild.parser;

import dev.jbuild.parser.DockerfileGrammar.InstructionContext;
import dev.jbuild.parser.Instruction.ArgDef;
import dev.jbuild.parser.Words.Word;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.Token;

/**
 * Turns one parsed instruction line into its {@link Instruction} record, applying the argument
 * rules of each instruction (BuildKit's, with its error messages where it has them). Values stay
 * raw: quotes and variable references are left for {@link ShellExpander}.
 */
final class InstructionBuilder {
  private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9-_.]*");
  private static final List<String> KEYWORDS = keywordNames();

  private final SourceText source;
  private final char escape;

  InstructionBuilder(SourceText source, char escape) {
    this.source = source;
    this.escape = escape;
  }

  /**
   * @param delta added to a character index of the grammar input to get an index into
   *     {@code line.text()}
   */
  Instruction build(LogicalLine line, int delta, InstructionContext ctx)
      throws DockerfileException {
    return new One(line, delta, ctx).build();
  }

  /** The keyword of a parsed instruction, or null if it is not one. */
  static Keyword keywordOf(InstructionContext ctx) {
    return Keyword.of(ctx.keyword().getText());
  }

  /** The building of one instruction. Indices are into {@code line.text()}. */
  private final class One {
    private final LogicalLine line;
    private final String text;
    private final int delta;
    private final InstructionContext ctx;
    private final int start;
    private final int keywordEnd;
    private final int restStart;
    private final int restEnd;
    private final String rest;

    One(LogicalLine line, int delta, InstructionContext ctx) {
      this.line = line;
      this.text = line.text();
      this.delta = delta;
      this.ctx = ctx;
      this.start = begin(ctx.keyword().getStart());
      this.keywordEnd = end(ctx.keyword().getStop());
      int end = text.length();
      while (end > 0 && ShellWords.isSpace(text.charAt(end - 1))) {
        end--;
      }
      this.restEnd = end;
      this.restStart = ctx.arguments() == null ? end : Math.min(begin(ctx.arguments().getStart()), end);
      this.rest = text.substring(restStart, restEnd);
    }

    private int begin(Token t) {
      return t.getStartIndex() + delta;
    }

    private int end(Token t) {
      return t.getStopIndex() + 1 + delta;
    }

    private SourceRange range() {
      return line.rangeToEnd(source, start);
    }

    private String original() {
      return line.original(source, start).replace("\r\n", "\n");
    }

    private DockerfileException error(int from, int to, String reason) {
      return source.error(line.range(source, from, to), reason);
    }

    private DockerfileException errorAtKeyword(String reason) {
      return error(start, keywordEnd, reason);
    }

    /** An error about the arguments, or about the keyword when there are none. */
    private DockerfileException errorAtArguments(String reason) {
      return rest.isEmpty() ? errorAtKeyword(reason) : error(restStart, restEnd, reason);
    }

    Instruction build() throws DockerfileException {
      String word = text.substring(start, keywordEnd);
      Keyword keyword = Keyword.of(word);
      if (keyword == null) {
        throw errorAtKeyword("unknown instruction: " + word + Suggestions.hint(word, KEYWORDS));
      }
      List<Flag> flags = flags(keyword);
      switch (keyword) {
        case FROM:
          return from(flags);
        case ARG:
          return new Instruction.Arg(range(), original(), argDefs());
        case ENV:
          return new Instruction.Env(range(), original(), pairs("ENV"));
        case LABEL:
          return new Instruction.Label(range(), original(), pairs("LABEL"));
        case RUN:
          return new Instruction.Run(range(), original(), flags,
              new TypedFlags(source, flags).run(), command("RUN"), line.heredocs());
        case CMD:
          return new Instruction.Cmd(range(), original(), command("CMD"));
        case ENTRYPOINT:
          return new Instruction.Entrypoint(range(), original(), command("ENTRYPOINT"));
        case COPY:
        case ADD:
          return copy(keyword, flags);
        case WORKDIR:
          return new Instruction.Workdir(range(), original(), single("WORKDIR"));
        case USER:
          return new Instruction.User(range(), original(), single("USER"));
        case STOPSIGNAL:
          return new Instruction.StopSignal(range(), original(), single("STOPSIGNAL"));
        case MAINTAINER:
          return new Instruction.Maintainer(range(), original(), single("MAINTAINER"));
        case EXPOSE:
          return new Instruction.Expose(range(), original(), texts(atLeastOne("EXPOSE",
              Words.byBlanks(text, restStart, restEnd))));
        case VOLUME:
          return volume();
        case SHELL:
          return shell();
        case ONBUILD:
          return onbuild();
        case HEALTHCHECK:
          return healthcheck(flags);
        default:
          throw errorAtKeyword("unsupported instruction: " + word);
      }
    }

    private List<Word> atLeastOne(String keyword, List<Word> words) throws DockerfileException {
      if (words.isEmpty()) {
        throw errorAtKeyword(keyword + " requires at least one argument");
      }
      return words;
    }

    // ---- flags ----

    private List<Flag> flags(Keyword keyword) throws DockerfileException {
      if (ctx.flag().isEmpty()) {
        return List.of();
      }
      Map<String, FlagRules.Type> allowed = FlagRules.of(keyword);
      List<Flag> out = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (DockerfileGrammar.FlagContext f : ctx.flag()) {
        Token t = f.FLAG().getSymbol();
        int from = begin(t);
        int to = end(t);
        String body = text.substring(from + 2, to);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(body.substring(eq + 1));
        int valueStart = from + 2 + eq + 1;
        if (name.isEmpty()) {
          throw error(from, to, "flag without a name: " + text.substring(from, to));
        }
        FlagRules.Type type = allowed.get(name);
        if (type == null) {
          String reason = allowed.isEmpty()
              ? "unknown flag: " + name + " (" + keyword + " takes no flags)"
              : "unknown flag: " + name + Suggestions.hint(name, allowed.keySet().stream().sorted().toList());
          throw error(from, from + 2 + name.length(), reason);
        }
        if (!seen.add(name) && type != FlagRules.Type.REPEATABLE) {
          throw error(from, to, "duplicate flag specified: " + name);
        }
        if (type == FlagRules.Type.BOOL) {
          if (value.isPresent()) {
            String v = value.get().replace("\"", "").replace("'", "");
            if (v.isEmpty()) {
              throw error(from, to, "missing a value on flag: " + name);
            }
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
              throw error(valueStart, to, "expecting boolean value for flag " + name + ", not: " + v);
            }
          }
        } else if (value.isEmpty()) {
          throw error(from, to, "missing a value on flag: " + name + " (write --" + name + "=value)");
        }
        out.add(new Flag(name, value, line.range(source, from, to)));
      }
      return List.copyOf(out);
    }

    // ---- instructions ----

    private Instruction from(List<Flag> flags) throws DockerfileException {
      Optional<String> platform = new TypedFlags(source, flags).platform();
      List<Word> words = Words.byBlanks(text, restStart, restEnd);
      String usage = "FROM requires either one or three arguments: FROM [--platform=<platform>] <image> [AS <name>]";
      if (words.size() == 1) {
        return new Instruction.From(range(), original(), flags, platform, words.get(0).text(), Optional.empty());
      }
      if (words.size() != 3) {
        throw errorAtArguments(usage);
      }
      Word as = words.get(1);
      if (!as.text().equalsIgnoreCase("as")) {
        throw error(as.start(), as.end(), usage + " (expected AS, found " + as.text() + ")");
      }
      Word name = words.get(2);
      String stage = name.text().toLowerCase(Locale.ROOT);
      if (!STAGE_NAME.matcher(stage).matches()) {
        throw error(name.start(), name.end(), "invalid name for build stage: \"" + name.text()
            + "\", name can't start with a number or contain symbols");
      }
      return new Instruction.From(range(), original(), flags, platform, words.get(0).text(), Optional.of(stage));
    }

    private List<ArgDef> argDefs() throws DockerfileException {
      List<ArgDef> out = new ArrayList<>();
      for (Word w : atLeastOne("ARG", Words.quoteAware(text, restStart, restEnd, escape))) {
        String s = w.text();
        int eq = s.indexOf('=');
        String name = eq < 0 ? s : s.substring(0, eq);
        if (name.isEmpty()) {
          throw error(w.start(), w.end(), "ARG names can not be blank");
        }
        Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(s.substring(eq + 1));
        out.add(new ArgDef(name, value, line.range(source, w.start(), w.end())));
      }
      return List.copyOf(out);
    }

    /** ENV and LABEL: {@code k=v …}, or the legacy {@code k v} where the value is the rest. */
    private List<KeyValue> pairs(String keyword) throws DockerfileException {
      List<Word> words = atLeastOne(keyword, Words.quoteAware(text, restStart, restEnd, escape));
      if (!words.get(0).text().contains("=")) {
        List<Word> parts = Words.byBlanks(text, restStart, restEnd);
        Word key = parts.get(0);
        int valueStart = key.end();
        while (valueStart < restEnd && Words.isBlank(text.charAt(valueStart))) {
          valueStart++;
        }
        if (valueStart >= restEnd) {
          throw error(key.start(), key.end(), keyword + " must have two arguments: "
              + keyword + " " + key.text() + "=<value> (or the legacy form " + keyword + " "
              + key.text() + " <value>)");
        }
        return List.of(new KeyValue(key.text(), text.substring(valueStart, restEnd),
            line.range(source, key.start(), restEnd)));
      }
      List<KeyValue> out = new ArrayList<>();
      for (Word w : words) {
        int eq = w.text().indexOf('=');
        if (eq < 0) {
          throw error(w.start(), w.end(), "Syntax error - can't find = in \"" + w.text()
              + "\". Must be of the form: name=value");
        }
        if (eq == 0) {
          throw error(w.start(), w.end(), keyword + " names can not be blank");
        }
        out.add(new KeyValue(w.text().substring(0, eq), w.text().substring(eq + 1),
            line.range(source, w.start(), w.end())));
      }
      return List.copyOf(out);
    }

    /** RUN, CMD, ENTRYPOINT: exec form if the arguments are a JSON array of strings. */
    private Command command(String keyword) throws DockerfileException {
      if (rest.isEmpty()) {
        throw errorAtKeyword(keyword + " requires at least one argument");
      }
      DockerfileGrammar.ArgumentsContext args = ctx.arguments();
      if (args != null && args.jsonArray() != null) {
        JsonArrays.Decoded json = JsonArrays.decode(args.jsonArray());
        if (json.kind() == JsonArrays.Kind.STRINGS) {
          return new Command.Exec(json.strings());
        }
        if (json.kind() == JsonArrays.Kind.NOT_STRINGS) {
          throw errorAtArguments(JsonArrays.NOT_STRINGS_MESSAGE);
        }
      }
      return new Command.Shell(rest);
    }

    /** The arguments as a JSON string array, or null when they are not JSON (shell form). */
    private List<String> jsonList() throws DockerfileException {
      DockerfileGrammar.ArgumentsContext args = ctx.arguments();
      if (args == null || args.jsonArray() == null) {
        return null;
      }
      JsonArrays.Decoded json = JsonArrays.decode(args.jsonArray());
      if (json.kind() == JsonArrays.Kind.NOT_STRINGS) {
        throw errorAtArguments(JsonArrays.NOT_STRINGS_MESSAGE);
      }
      return json.kind() == JsonArrays.Kind.STRINGS ? json.strings() : null;
    }

    private Instruction copy(Keyword keyword, List<Flag> flags) throws DockerfileException {
      String name = keyword.name();
      List<String> json = jsonList();
      List<String> args = json != null ? json
          : texts(Words.quoteAware(text, restStart, restEnd, escape));
      if (args.size() < 2) {
        throw errorAtArguments(name + " requires at least two arguments, but only "
            + (args.isEmpty() ? "none was" : "one was") + " provided. Destination could not be determined.");
      }
      String destination = args.get(args.size() - 1);
      if (json == null && Heredocs.parse(destination) != null) {
        throw errorAtArguments(name + " cannot accept a heredoc as a destination");
      }
      List<String> sources = new ArrayList<>();
      List<Heredoc> heredocs = new ArrayList<>();
      for (String src : args.subList(0, args.size() - 1)) {
        Heredoc doc = json == null ? heredocFor(src) : null;
        if (doc != null) {
          heredocs.add(doc);
        } else {
          sources.add(src);
        }
      }
      TypedFlags typed = new TypedFlags(source, flags);
      if (keyword == Keyword.COPY) {
        return new Instruction.Copy(range(), original(), flags, typed.copy(), sources, destination, heredocs);
      }
      return new Instruction.Add(range(), original(), flags, typed.add(), sources, destination, heredocs);
    }

    /** The heredoc read for a source word like {@code <<EOF}, or null. */
    private Heredoc heredocFor(String word) {
      Heredocs.Marker marker = Heredocs.parse(word);
      if (marker == null) {
        return null;
      }
      for (Heredoc h : line.heredocs()) {
        if (h.name().equals(marker.name())) {
          return h;
        }
      }
      return null;
    }

    private String single(String keyword) throws DockerfileException {
      if (rest.isEmpty()) {
        throw errorAtKeyword(keyword + " requires exactly one argument");
      }
      return rest;
    }

    private Instruction volume() throws DockerfileException {
      List<String> json = jsonList();
      if (json != null) {
        if (json.isEmpty()) {
          throw errorAtArguments("VOLUME requires at least one argument");
        }
        if (json.contains("")) {
          throw errorAtArguments("VOLUME specified can not be an empty string");
        }
        return new Instruction.Volume(range(), original(), json);
      }
      return new Instruction.Volume(range(), original(),
          texts(atLeastOne("VOLUME", Words.quoteAware(text, restStart, restEnd, escape))));
    }

    private Instruction shell() throws DockerfileException {
      if (rest.isEmpty()) {
        throw errorAtKeyword("SHELL requires at least one argument");
      }
      List<String> json = jsonList();
      if (json == null) {
        throw errorAtArguments("SHELL requires the arguments to be in JSON form, e.g. "
            + "SHELL [\"/bin/sh\", \"-c\"]");
      }
      if (json.isEmpty()) {
        throw errorAtArguments("SHELL requires at least one argument");
      }
      return new Instruction.Shell(range(), original(), json);
    }

    private Instruction onbuild() throws DockerfileException {
      if (rest.isEmpty()) {
        throw errorAtKeyword("ONBUILD requires at least one argument");
      }
      DockerfileGrammar.DockerfileContext sub;
      try {
        sub = GrammarRunner.lines(text.substring(restStart) + "\n");
      } catch (GrammarRunner.SyntaxError e) {
        throw errorAtArguments("invalid ONBUILD trigger: " + e.getMessage());
      }
      InstructionContext trigger = sub.line(0).instruction();
      Keyword keyword = keywordOf(trigger);
      if (keyword == Keyword.ONBUILD) {
        throw errorAtArguments("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      }
      if (keyword == Keyword.FROM || keyword == Keyword.MAINTAINER) {
        throw errorAtArguments(keyword + " isn't allowed as an ONBUILD trigger");
      }
      Instruction built = new One(line, restStart, trigger).build();
      return new Instruction.Onbuild(range(), original(), built);
    }

    private Instruction healthcheck(List<Flag> flags) throws DockerfileException {
      if (rest.isEmpty()) {
        throw errorAtKeyword("HEALTHCHECK requires at least one argument");
      }
      int typeEnd = restStart;
      while (typeEnd < restEnd && !ShellWords.isSpace(text.charAt(typeEnd))) {
        typeEnd++;
      }
      int cmdStart = typeEnd;
      while (cmdStart < restEnd && ShellWords.isSpace(text.charAt(cmdStart))) {
        cmdStart++;
      }
      String type = text.substring(restStart, typeEnd).toUpperCase(Locale.ROOT);
      String cmd = text.substring(cmdStart, restEnd);
      if (type.equals("NONE")) {
        if (!cmd.isEmpty()) {
          throw error(cmdStart, restEnd, "HEALTHCHECK NONE takes no arguments");
        }
        return new Instruction.Healthcheck(range(), original(), flags, HealthcheckFlags.NONE,
            Optional.empty());
      }
      if (!type.equals("CMD")) {
        throw error(restStart, typeEnd, "Unknown type \"" + text.substring(restStart, typeEnd)
            + "\" in HEALTHCHECK (try CMD)");
      }
      if (cmd.isEmpty()) {
        throw error(restStart, typeEnd, "Missing command after HEALTHCHECK CMD");
      }
      HealthcheckFlags options = new TypedFlags(source, flags).healthcheck();
      Command command = new Command.Shell(cmd);
      if (cmd.charAt(0) == '[') {
        DockerfileGrammar.JsonArrayContext array = GrammarRunner.jsonArray(cmd);
        if (array != null) {
          JsonArrays.Decoded json = JsonArrays.decode(array);
          if (json.kind() == JsonArrays.Kind.NOT_STRINGS) {
            throw error(cmdStart, restEnd, JsonArrays.NOT_STRINGS_MESSAGE);
          }
          if (json.kind() == JsonArrays.Kind.STRINGS) {
            if (json.strings().isEmpty()) {
              throw error(restStart, typeEnd, "Missing command after HEALTHCHECK CMD");
            }
            command = new Command.Exec(json.strings());
          }
        }
      }
      return new Instruction.Healthcheck(range(), original(), flags, options, Optional.of(command));
    }
  }

  private static List<String> keywordNames() {
    List<String> names = new ArrayList<>();
    for (Keyword k : Keyword.values()) {
      names.add(k.name());
    }
    return List.copyOf(names);
  }

  private static List<String> texts(List<Word> words) {
    List<String> out = new ArrayList<>(words.size());
    for (Word w : words) {
      out.add(w.text());
    }
    return List.copyOf(out);
  }
}
