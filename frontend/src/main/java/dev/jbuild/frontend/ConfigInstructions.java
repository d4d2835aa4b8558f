package dev.jbuild.frontend;

import static dev.jbuild.frontend.ContainerPaths.jsonList;

import dev.jbuild.oci.ImageConfig;
import dev.jbuild.parser.Command;
import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.HealthcheckFlags;
import dev.jbuild.parser.Instruction;
import dev.jbuild.parser.KeyValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The instructions that change only the image config (ENV, LABEL, CMD, ENTRYPOINT, USER, EXPOSE,
 * VOLUME, STOPSIGNAL, SHELL, MAINTAINER, ONBUILD, HEALTHCHECK): each adds an empty-layer history entry.
 */
final class ConfigInstructions {
  private static final java.util.regex.Pattern PORT = java.util.regex.Pattern.compile("(\\d+)(?:-(\\d+))?/(tcp|udp|sctp)");

  private final StageBuilder s;
  private boolean cmdSet;

  ConfigInstructions(StageBuilder stage) {
    this.s = stage;
  }

  /** Applies {@code i} if it is a config-only instruction; false otherwise. */
  boolean apply(Instruction i) throws DockerfileException {
    if (i instanceof Instruction.Env e) {
      env(e);
    } else if (i instanceof Instruction.Label l) {
      label(l);
    } else if (i instanceof Instruction.Cmd c) {
      List<String> cmd = s.commandArgs(c.command());
      set(s.config.config().withCmd(cmd).withArgsEscaped(true), "CMD " + jsonList(cmd)); // as BuildKit writes it
      cmdSet = true;
    } else if (i instanceof Instruction.Entrypoint e) {
      entrypoint(e);
    } else if (i instanceof Instruction.User u) {
      String user = s.x(u.user(), u);
      set(s.config.config().withUser(user), "USER " + user);
    } else if (i instanceof Instruction.Expose e) {
      expose(e);
    } else if (i instanceof Instruction.Volume v) {
      volume(v);
    } else if (i instanceof Instruction.StopSignal st) {
      String sig = s.x(st.signal(), st);
      set(s.config.config().withStopSignal(sig), "STOPSIGNAL " + sig);
    } else if (i instanceof Instruction.Shell sh) {
      set(s.config.config().withShell(sh.shell()), "SHELL " + jsonList(sh.shell()));
    } else if (i instanceof Instruction.Maintainer m) {
      s.config = s.config.withAuthor(m.name());
      s.history("MAINTAINER " + m.name());
    } else if (i instanceof Instruction.Onbuild o) {
      String trigger = o.original().replaceFirst("(?is)^\\s*ONBUILD\\s+", "");
      update(s.config.config().withOnBuild(trigger)); // no history entry, as in BuildKit
    } else if (i instanceof Instruction.Healthcheck h) {
      healthcheck(h);
    } else {
      return false;
    }
    return true;
  }

  private void update(ImageConfig.Container c) {
    s.config = s.config.withConfig(c);
  }

  /** Sets the container config and records the instruction as an empty-layer history entry. */
  private void set(ImageConfig.Container c, String createdBy) {
    update(c);
    s.history(createdBy);
  }

  private void entrypoint(Instruction.Entrypoint e) {
    ImageConfig.Container c = s.config.config();
    List<String> cmd = c.cmd();
    List<String> entrypoint = s.commandArgs(e.command());
    c = c.withEntrypoint(entrypoint).withArgsEscaped(true);
    if (cmdSet) { // ENTRYPOINT resets a CMD inherited from the base, not one set in this stage
      c = c.withCmd(cmd);
    }
    set(c, "ENTRYPOINT " + jsonList(entrypoint));
  }

  private void env(Instruction.Env e) throws DockerfileException {
    // every value sees the environment as it was before this instruction
    List<String[]> pairs = new ArrayList<>();
    for (KeyValue kv : e.pairs()) {
      pairs.add(new String[] {s.x(kv.key(), e), s.x(kv.value(), e)});
    }
    ImageConfig.Container c = s.config.config();
    StringBuilder text = new StringBuilder("ENV");
    for (String[] p : pairs) {
      c = c.withEnv(p[0], p[1]);
      text.append(' ').append(p[0]).append('=').append(p[1]);
    }
    set(c, text.toString());
  }

  private void label(Instruction.Label l) throws DockerfileException {
    Map<String, String> labels = new LinkedHashMap<>();
    StringBuilder text = new StringBuilder("LABEL");
    for (KeyValue kv : l.pairs()) {
      String k = s.x(kv.key(), l);
      String v = s.x(kv.value(), l);
      labels.put(k, v);
      text.append(' ').append(k).append('=').append(v);
    }
    set(s.config.config().withLabels(labels), text.toString());
  }

  private void volume(Instruction.Volume v) throws DockerfileException {
    ImageConfig.Container c = s.config.config();
    List<String> paths = new ArrayList<>();
    for (String p : v.paths()) {
      String path = s.x(p, v);
      if (path.isBlank()) {
        throw s.error(v, "VOLUME specified can not be an empty string");
      }
      paths.add(path);
      c = c.withVolume(path);
    }
    set(c, "VOLUME " + jsonList(paths));
  }

  private void expose(Instruction.Expose e) throws DockerfileException {
    ImageConfig.Container c = s.config.config();
    List<String> ports = new ArrayList<>();
    for (String raw : e.ports()) {
      for (String p : s.x(raw, e).split("\\s+")) {
        if (p.isEmpty()) {
          continue;
        }
        String port = p.contains("/") ? p.substring(0, p.indexOf('/')) + "/" + p.substring(p.indexOf('/') + 1).toLowerCase(Locale.ROOT)
            : p + "/tcp";
        java.util.regex.Matcher m = PORT.matcher(port);
        if (!m.matches()) {
          throw s.error(e, "invalid port for EXPOSE: " + p);
        }
        ports.add(port);
        // a range is stored port by port, as BuildKit does
        int first = Integer.parseInt(m.group(1));
        int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
        if (last < first || last > 65535) {
          throw s.error(e, "invalid port range for EXPOSE: " + p);
        }
        for (int n = first; n <= last; n++) {
          c = c.withExposedPort(n + "/" + m.group(3));
        }
      }
    }
    set(c, "EXPOSE " + String.join(" ", ports));
  }

  private void healthcheck(Instruction.Healthcheck h) throws DockerfileException {
    if (h.command().isEmpty()) {
      set(s.config.config().withHealthcheck(new ImageConfig.Healthcheck(List.of("NONE"), null, null, null, null, null)),
          "HEALTHCHECK NONE");
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
    set(s.config.config().withHealthcheck(new ImageConfig.Healthcheck(test, interval, timeout, startPeriod, startInterval, retries)),
        "HEALTHCHECK " + jsonList(test));
  }

}
