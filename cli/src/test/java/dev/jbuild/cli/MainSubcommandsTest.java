package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Main hands picocli only the subcommand a command line names; the table must stay true to the commands. */
class MainSubcommandsTest {
  @Test
  void everyTableNameIsTheCommandsOwnName() {
    for (Map.Entry<String, java.util.function.Supplier<Object>> e : Main.SUBCOMMANDS.entrySet()) {
      Object command = e.getValue().get();
      String name = command instanceof CommandLine.Model.CommandSpec spec ? spec.name()
          : ((Class<?>) command).getAnnotation(CommandLine.Command.class).name();
      assertEquals(e.getKey(), name, command.toString());
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
    MainRuns.Run help = MainRuns.run("--help");
    assertEquals(0, help.code());
    MainRuns.Run typo = MainRuns.run("biuld");
    assertEquals(1, typo.code());
    for (String name : Main.SUBCOMMANDS.keySet()) {
      assertTrue(help.out().contains("  " + name + " "), name + " missing from:\n" + help.out());
    }
    assertTrue(typo.err().contains("biuld"), typo.err());
  }
}
