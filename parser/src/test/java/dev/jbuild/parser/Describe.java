package dev.jbuild.parser;

import java.util.List;
import java.util.stream.Collectors;

/** A compact, exact text form of instructions, so that tables can state expectations. */
final class Describe {
  private Describe() {}

  static String of(Instruction i) {
    StringBuilder sb = new StringBuilder(i.keyword());
    for (Flag f : i.flags()) {
      sb.append(" --").append(f.name()).append(f.value().map(v -> "=" + v).orElse(""));
    }
    String body;
    if (i instanceof Instruction.From from) {
      body = from.image() + from.stageName().map(s -> " AS " + s).orElse("");
    } else if (i instanceof Instruction.Arg arg) {
      body = arg.args().stream()
          .map(a -> a.name() + a.defaultValue().map(v -> "=<" + v + ">").orElse(""))
          .collect(Collectors.joining(" "));
    } else if (i instanceof Instruction.Env env) {
      body = pairs(env.pairs());
    } else if (i instanceof Instruction.Label label) {
      body = pairs(label.pairs());
    } else if (i instanceof Instruction.Run run) {
      body = command(run.command()) + heredocs(run.heredocs());
    } else if (i instanceof Instruction.Cmd cmd) {
      body = command(cmd.command());
    } else if (i instanceof Instruction.Entrypoint ep) {
      body = command(ep.command());
    } else if (i instanceof Instruction.Copy copy) {
      body = "src=" + copy.sources() + " dest=<" + copy.destination() + ">" + heredocs(copy.heredocs());
    } else if (i instanceof Instruction.Add add) {
      body = "src=" + add.sources() + " dest=<" + add.destination() + ">" + heredocs(add.heredocs());
    } else if (i instanceof Instruction.Workdir w) {
      body = "<" + w.path() + ">";
    } else if (i instanceof Instruction.User u) {
      body = "<" + u.user() + ">";
    } else if (i instanceof Instruction.StopSignal s) {
      body = "<" + s.signal() + ">";
    } else if (i instanceof Instruction.Maintainer m) {
      body = "<" + m.name() + ">";
    } else if (i instanceof Instruction.Expose e) {
      body = e.ports().toString();
    } else if (i instanceof Instruction.Volume v) {
      body = v.paths().toString();
    } else if (i instanceof Instruction.Shell s) {
      body = s.shell().toString();
    } else if (i instanceof Instruction.Onbuild o) {
      body = "-> " + of(o.trigger());
    } else if (i instanceof Instruction.Healthcheck h) {
      body = h.command().map(Describe::command).orElse("NONE");
    } else {
      throw new AssertionError(i);
    }
    return sb.append(' ').append(body).toString();
  }

  private static String pairs(List<KeyValue> pairs) {
    return pairs.stream().map(p -> p.key() + "=<" + p.value() + ">").collect(Collectors.joining(" "));
  }

  static String command(Command c) {
    if (c instanceof Command.Exec exec) {
      return "exec" + exec.args().stream().map(a -> "<" + a + ">").collect(Collectors.joining(",", "[", "]"));
    }
    return "shell<" + ((Command.Shell) c).script() + ">";
  }

  private static String heredocs(List<Heredoc> docs) {
    if (docs.isEmpty()) {
      return "";
    }
    return docs.stream()
        .map(h -> " heredoc(" + h.name() + (h.expand() ? "" : ",noexpand") + (h.chomp() ? ",chomp" : "")
            + ")<" + h.content().replace("\n", "\\n").replace("\t", "\\t") + ">")
        .collect(Collectors.joining());
  }
}
