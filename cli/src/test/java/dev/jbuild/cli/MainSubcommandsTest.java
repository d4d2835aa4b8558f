package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Main hands picocli only the subcommand a command line names; the table must stay true to the commands. */
class MainSubcommandsTest {
  @Test
  void everyTableNameIsTheCommandsOwnName() {
    for (Map.Entry<String, Class<?>> e : Main.SUBCOMMANDS.entrySet()) {
      assertEquals(e.getKey(), e.getValue().getAnnotation(CommandLine.Command.class).name(), e.getValue().getName());
    }
  }

  @Test
  void aNamedSubcommandAloneOtherwiseAll() {
    assertEquals(List.of("build"), List.copyOf(Main.commandLine(new String[] {"build", "."}).getSubcommands().keySet()));
    List<String> all = List.copyOf(Main.SUBCOMMANDS.keySet());
    for (String[] args : new String[][] {{}, {"--help"}, {"help", "build"}, {"completion", "bash"}, {"biuld"}, {"-V"}}) {
      assertEquals(all, List.copyOf(Main.commandLine(args).getSubcommands().keySet()), String.join(" ", args));
    }
  }

  @Test
  void topLevelHelpAndTyposStillNameEveryCommand() {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.run(new String[] {"--help"}));
      assertEquals(1, Main.run(new String[] {"biuld"}));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    String help = out.toString(StandardCharsets.UTF_8);
    for (String name : Main.SUBCOMMANDS.keySet()) {
      assertTrue(help.contains("  " + name + " "), name + " missing from:\n" + help);
    }
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("biuld"), err.toString(StandardCharsets.UTF_8));
  }
}
