package dev.jbuild.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a Dockerfile into an immutable {@link Dockerfile}.
 *
 * <p>Two passes: {@link LineJoiner} reads directives, joins continuation lines, drops comments
 * and reads heredoc bodies (all of which depend on the escape directive or on delimiters chosen
 * by the text); then the ANTLR grammar ({@code DockerfileGrammar.g4}) parses every joined line
 * into keyword, flags and arguments (JSON array or text), and {@link InstructionBuilder} applies
 * each instruction's rules. Every problem is a {@link DockerfileException} located to the
 * character in the original text.
 *
 * <p>Choices worth knowing:
 * <ul>
 *   <li>Flag, ARG, ENV and LABEL values are raw: quotes and {@code $} references are kept.
 *   <li>{@code FROM … AS name}: the stage name is lower-cased, as BuildKit matches stages.
 *   <li>RUN with a heredoc: {@link Command.Shell#script()} is the command line as written after
 *       the flags, e.g. {@code <<EOF} or {@code python3 <<EOF}; the bodies are in
 *       {@link Instruction.Run#heredocs()}, in the order of their markers.
 *   <li>Heredoc content ends with a newline per line; for {@code <<-} the leading tabs are
 *       already removed.
 *   <li>COPY/ADD heredoc sources ({@code <<EOF}) are in {@code heredocs}, not in {@code sources}.
 *   <li>{@link Instruction#original()} and {@link Instruction#range()} cover the instruction's
 *       lines, not the heredoc bodies that follow them.
 * </ul>
 * The parser is stateless and thread-safe.
 */
public final class DockerfileParser {
  private DockerfileParser() {}

  /** The typed level: every instruction checked and built into its {@link Instruction} record. */
  public static Dockerfile parse(String fileName, String text) throws DockerfileException {
    SourceText source = source(fileName, text);
    try {
      return parse(source);
    } catch (StackOverflowError e) {
      throw source.error(SourceRange.at(1, 1), "the Dockerfile is nested too deeply to parse");
    } catch (RuntimeException e) {
      throw source.error(SourceRange.at(1, 1), "internal parser error: " + e);
    }
  }

  /**
   * The parser level, as BuildKit's {@code parser.Parse}: lines joined, directives and heredocs
   * read, each instruction cut into a {@link Node}; no semantic checks (see {@link Node}).
   */
  public static DockerfileNodes parseNodes(String fileName, String text) throws DockerfileException {
    SourceText source = source(fileName, text);
    try {
      LineJoiner.Result joined = LineJoiner.join(source);
      if (joined.lines().isEmpty()) {
        throw source.error(SourceRange.at(1, 1), "file with no instructions");
      }
      NodeBuilder builder = new NodeBuilder(source, joined.escape());
      List<Node> nodes = new ArrayList<>(joined.lines().size());
      for (LogicalLine line : joined.lines()) {
        nodes.add(builder.build(line));
      }
      return new DockerfileNodes(source.fileName, joined.directives(), joined.escape(), nodes);
    } catch (RuntimeException e) {
      throw source.error(SourceRange.at(1, 1), "internal parser error: " + e);
    }
  }

  private static SourceText source(String fileName, String text) {
    String name = fileName == null ? "Dockerfile" : fileName;
    String body = text == null ? "" : text;
    if (body.startsWith("\uFEFF")) {
      body = body.substring(1);
    }
    return new SourceText(name, body);
  }

  private static Dockerfile parse(SourceText source) throws DockerfileException {
    LineJoiner.Result joined = LineJoiner.join(source);
    List<LogicalLine> lines = joined.lines();
    if (lines.isEmpty()) {
      throw source.error(SourceRange.at(1, 1), "file with no instructions");
    }
    StringBuilder input = new StringBuilder();
    int[] base = new int[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      base[i] = input.length();
      input.append(lines.get(i).text()).append('\n');
    }
    DockerfileGrammar.DockerfileContext tree;
    try {
      tree = GrammarRunner.lines(input.toString());
    } catch (GrammarRunner.SyntaxError e) {
      throw syntaxError(source, lines, base, e);
    }
    List<DockerfileGrammar.LineContext> parsed = tree.line();
    if (parsed.size() != lines.size()) {
      throw source.error(SourceRange.at(1, 1), "internal parser error: line count mismatch");
    }
    InstructionBuilder builder = new InstructionBuilder(source, joined.escape());
    List<Instruction> instructions = new ArrayList<>(lines.size());
    boolean inStage = false;
    for (int i = 0; i < lines.size(); i++) {
      DockerfileGrammar.InstructionContext ctx = parsed.get(i).instruction();
      if (ctx == null) {
        continue;
      }
      Instruction instruction = builder.build(lines.get(i), -base[i], ctx);
      if (instruction instanceof Instruction.From) {
        inStage = true;
      } else if (!inStage && !(instruction instanceof Instruction.Arg)) {
        SourceRange r = instruction.range();
        throw source.error(new SourceRange(r.startLine(), r.startColumn(), r.startLine(),
            r.startColumn() + instruction.keyword().length() - 1),
            "no build stage in current context: " + instruction.keyword()
                + " must come after a FROM instruction (only ARG may come before the first FROM)");
      }
      instructions.add(instruction);
    }
    if (!inStage) {
      throw source.error(instructions.get(0).range(),
          "dockerfile contains no stages to build: there is no FROM instruction");
    }
    return new Dockerfile(source.fileName, joined.directives(), joined.escape(), instructions);
  }

  private static DockerfileException syntaxError(SourceText source, List<LogicalLine> lines,
      int[] base, GrammarRunner.SyntaxError e) {
    int index = Math.max(0, e.index);
    int i = 0;
    while (i + 1 < lines.size() && base[i + 1] <= index) {
      i++;
    }
    LogicalLine line = lines.get(i);
    int at = Math.min(index - base[i], line.text().length() - 1);
    return source.error(line.range(source, at, at + 1), "syntax error: " + e.getMessage());
  }
}
