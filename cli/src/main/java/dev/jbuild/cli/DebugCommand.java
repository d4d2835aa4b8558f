package dev.jbuild.cli;

import dev.jbuild.parser.AstDump;
import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.ExpansionException;
import dev.jbuild.parser.IgnoreMatcher;
import dev.jbuild.parser.ShellExpander;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild debug …}: the parser's view of a Dockerfile, a word or an ignore pattern, in a
 * stable form for conformance tests. Failures are {@code ERROR: …} on stderr and exit code 1.
 */
@Command(name = "debug", mixinStandardHelpOptions = true,
    description = "Show how jbuild reads Dockerfiles, words and .dockerignore patterns.",
    subcommands = {DebugCommand.Parse.class, DebugCommand.Expand.class, DebugCommand.SplitWords.class,
        DebugCommand.IgnoreMatch.class, TrainCommand.class})
final class DebugCommand {

  @Command(name = "parse", mixinStandardHelpOptions = true,
      description = "Print the Dockerfile's parse tree in BuildKit's dump format, one instruction per line.")
  static final class Parse implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the Dockerfile")
    Path file;

    @Option(names = "--heredocs", description = "also print heredoc bodies (not in BuildKit's format)")
    boolean heredocs;

    @Override
    public Integer call() {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        return fail("failed to read " + file + ": no such file");
      } catch (IOException e) {
        return fail("failed to read " + file + ": " + e.getMessage());
      }
      try {
        System.out.println(AstDump.dump(file.toString(), text, heredocs));
        return 0;
      } catch (DockerfileException e) {
        return fail(e.render());
      }
    }
  }

  /** Options shared by expand and words. */
  static class Environment {
    @Option(names = "--env", paramLabel = "K=V", description = "a variable (repeatable)")
    List<String> env = new ArrayList<>();

    @Option(names = "--windows", description = "variable names are case-insensitive, as on Windows")
    boolean windows;

    @Option(names = "--escape", paramLabel = "CHAR", description = "the escape character: \\ (default) or `")
    String escape = "\\";

    ShellExpander expander() throws UsageError {
      if (!escape.equals("\\") && !escape.equals("`")) {
        throw new UsageError("--escape: expected \\ or `, not \"" + escape + "\"");
      }
      return new ShellExpander(escape.charAt(0));
    }

    Function<String, String> lookup() throws UsageError {
      Map<String, String> vars = new LinkedHashMap<>();
      for (String kv : env) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new UsageError("--env " + kv + ": expected K=V");
        }
        String key = kv.substring(0, eq);
        if (windows) {
          vars.keySet().removeIf(k -> k.equalsIgnoreCase(key));
        }
        vars.put(key, kv.substring(eq + 1));
      }
      if (!windows) {
        return vars::get;
      }
      return name -> {
        for (Map.Entry<String, String> e : vars.entrySet()) {
          if (e.getKey().equalsIgnoreCase(name)) {
            return e.getValue();
          }
        }
        return null;
      };
    }
  }

  @Command(name = "expand", mixinStandardHelpOptions = true,
      description = "Print WORD after variable expansion and quote removal, as for ENV, COPY, WORKDIR….")
  static final class Expand extends Environment implements Callable<Integer> {
    @Parameters(paramLabel = "WORD")
    String word;

    @Override
    public Integer call() {
      try {
        System.out.println(expander().expand(word, lookup()));
        return 0;
      } catch (UsageError | ExpansionException e) {
        return fail(e.getMessage());
      }
    }
  }

  @Command(name = "words", mixinStandardHelpOptions = true,
      description = "Print the words WORD expands and splits into, one per line.")
  static final class SplitWords extends Environment implements Callable<Integer> {
    @Parameters(paramLabel = "WORD")
    String word;

    @Override
    public Integer call() {
      try {
        PrintStream out = System.out;
        for (String w : expander().expandWords(word, lookup())) {
          out.println(w);
        }
        return 0;
      } catch (UsageError | ExpansionException e) {
        return fail(e.getMessage());
      }
    }
  }

  @Command(name = "ignore-match", mixinStandardHelpOptions = true,
      description = "Print true if PATH is excluded by the .dockerignore patterns, else false.")
  static final class IgnoreMatch implements Callable<Integer> {
    @Option(names = "--pattern", paramLabel = "P", description = "a .dockerignore line (repeatable)")
    List<String> patterns = new ArrayList<>();

    @Parameters(paramLabel = "PATH")
    String path;

    @Override
    public Integer call() {
      try {
        System.out.println(IgnoreMatcher.of(patterns).excludes(path));
        return 0;
      } catch (IllegalArgumentException e) {
        return fail(e.getMessage());
      }
    }
  }

  /** Bad option values, reported like every other failure of these commands. */
  static final class UsageError extends Exception {
    UsageError(String message) {
      super(message);
    }
  }

  private static int fail(String message) {
    System.err.println("ERROR: " + message);
    return 1;
  }
}
