package dev.jbuild.parser;

import java.util.List;
import java.util.Optional;

/**
 * One Dockerfile instruction. Values are raw words: the frontend expands them with
 * {@link ShellExpander} in the scope the Dockerfile reference prescribes for each instruction.
 */
public sealed interface Instruction {

  /** Where the instruction is, from its keyword to the end of its last continuation line. */
  SourceRange range();

  /** The instruction as written, continuation lines included (for history and error messages). */
  String original();

  /**
   * Flags as written after the keyword, with their locations (for messages and lint); read the
   * values from the instruction's typed {@code options()}. Empty for instructions that take none.
   */
  default List<Flag> flags() {
    return List.of();
  }

  /** The upper-case keyword, e.g. {@code COPY}. */
  default String keyword() {
    return getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
  }

  /** {@code FROM [--platform=…] image [AS name]}; {@code platform} is raw (expanded in the global scope). */
  record From(SourceRange range, String original, List<Flag> flags, Optional<String> platform,
      String image, Optional<String> stageName) implements Instruction {}

  /** {@code ARG name[=default] …} */
  record Arg(SourceRange range, String original, List<ArgDef> args) implements Instruction {}

  /** One declared build argument; {@code defaultValue} is empty when none is given. */
  record ArgDef(String name, Optional<String> defaultValue, SourceRange range) {}

  /** {@code ENV k=v …} or the legacy {@code ENV k v} form (one pair, value is the rest). */
  record Env(SourceRange range, String original, List<KeyValue> pairs) implements Instruction {}

  record Label(SourceRange range, String original, List<KeyValue> pairs) implements Instruction {}

  record Run(SourceRange range, String original, List<Flag> flags, RunFlags options, Command command,
      List<Heredoc> heredocs) implements Instruction {}

  record Cmd(SourceRange range, String original, Command command) implements Instruction {}

  record Entrypoint(SourceRange range, String original, Command command) implements Instruction {}

  /**
   * COPY and ADD: sources then destination as raw words (JSON form is decoded but still
   * subject to expansion), heredoc sources listed in {@code heredocs}.
   */
  record Copy(SourceRange range, String original, List<Flag> flags, CopyFlags options,
      List<String> sources, String destination, List<Heredoc> heredocs) implements Instruction {}

  record Add(SourceRange range, String original, List<Flag> flags, AddFlags options, List<String> sources,
      String destination, List<Heredoc> heredocs) implements Instruction {}

  record Workdir(SourceRange range, String original, String path) implements Instruction {}

  record User(SourceRange range, String original, String user) implements Instruction {}

  record Expose(SourceRange range, String original, List<String> ports) implements Instruction {}

  record Volume(SourceRange range, String original, List<String> paths) implements Instruction {}

  record StopSignal(SourceRange range, String original, String signal) implements Instruction {
    @Override
    public String keyword() {
      return "STOPSIGNAL";
    }
  }

  record Shell(SourceRange range, String original, List<String> shell) implements Instruction {}

  record Maintainer(SourceRange range, String original, String name) implements Instruction {}

  /** {@code ONBUILD <instruction>}: the trigger is parsed but not run in this build. */
  record Onbuild(SourceRange range, String original, Instruction trigger) implements Instruction {}

  /**
   * {@code HEALTHCHECK NONE} ({@code command} empty) or {@code HEALTHCHECK [opts] CMD …}.
   */
  record Healthcheck(SourceRange range, String original, List<Flag> flags,
      HealthcheckFlags options, Optional<Command> command) implements Instruction {}
}
