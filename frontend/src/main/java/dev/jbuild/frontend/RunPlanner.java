package dev.jbuild.frontend;

import dev.jbuild.nativeexec.NetworkMode;
import dev.jbuild.nativeexec.Security;
import dev.jbuild.parser.Command;
import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.RunFlags;
import dev.jbuild.parser.Heredoc;
import dev.jbuild.parser.Instruction;
import dev.jbuild.solver.Entitlement;
import dev.jbuild.solver.Op;
import dev.jbuild.solver.RunMount;
import dev.jbuild.solver.RunOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** RUN: its flags (--mount, --network, --security), here-documents and environment. */
final class RunPlanner {
  private static final Pattern LONE_HEREDOC = Pattern.compile("\\s*\\d*<<-?([\"']?)(.+)\\1\\s*");

  private final StageBuilder s;

  RunPlanner(StageBuilder stage) {
    this.s = stage;
  }

  void run(Instruction.Run r) throws DockerfileException {
    RunOptions options = s.request().runOptions();
    NetworkMode network = options.network();
    Security security = Security.SANDBOX;
    List<RunMount> mounts = new ArrayList<>();
    RunMountParser mountParser = new RunMountParser(s.workingDir(),
        new Op.CopySource.Context(s.request().contextDir(), s.request().contextFilter()), ref -> s.stateOf(ref, r));
    RunFlags o = r.options();
    network = switch (o.network()) {
      case DEFAULT -> options.network();
      case NONE -> NetworkMode.NONE;
      case HOST -> {
        requireEntitlement(r, Entitlement.NETWORK_HOST, "RUN --network=host");
        yield NetworkMode.HOST;
      }
    };
    if (o.security() == RunFlags.Security.INSECURE) {
      requireEntitlement(r, Entitlement.SECURITY_INSECURE, "RUN --security=insecure");
      security = Security.INSECURE;
    }
    if (!o.devices().isEmpty()) {
      throw s.error(r, "RUN --device is not supported by jbuild yet");
    }
    for (String raw : o.mounts()) {
      String value = s.x(raw, r);
      try {
        mounts.add(mountParser.parse(value));
      } catch (DockerfileException e) {
        throw e;
      } catch (Exception e) {
        throw s.error(r, "RUN --mount=" + value + ": " + e.getMessage());
      }
    }
    List<String> argv = r.heredocs().isEmpty() ? s.commandArgs(r.command()) : heredocArgs(r, mounts);
    List<String> env = runEnv();
    mounts.stream().filter(m -> m instanceof RunMount.Ssh).findFirst().ifPresent(ssh -> {
      if (env.stream().noneMatch(e -> e.startsWith("SSH_AUTH_SOCK="))) { // as BuildKit: the first agent
        env.add("SSH_AUTH_SOCK=" + ssh.target());
      }
    });
    s.addStep(new Op.Exec(s.state, argv, env, s.workingDir(), s.user(), network, s.platform, mounts, security,
        options.limits()), r,
        "RUN " + commandText(r.command()), "RUN " + String.join(" ", argv));
  }

  private void requireEntitlement(Instruction at, Entitlement e, String what) throws DockerfileException {
    if (!s.request().runOptions().allows(e)) {
      throw s.error(at, what + " needs the " + e.flagName() + " entitlement: add --allow " + e.flagName()
          + " to the build command");
    }
  }

  /**
   * RUN with here-documents, as BuildKit runs them: a lone {@code <<EOF} runs its body with the
   * shell, or, when the body starts with {@code #!}, as an executable file mounted at
   * /dev/pipes/EOF; any other command line goes to the shell whole, bodies and delimiters
   * appended, so the shell itself reads the here-documents.
   */
  private List<String> heredocArgs(Instruction.Run r, List<RunMount> mounts) throws DockerfileException {
    if (!(r.command() instanceof Command.Shell sh)) {
      throw s.error(r, "here-documents need the shell form of RUN");
    }
    Heredoc first = r.heredocs().get(0);
    Matcher lone = LONE_HEREDOC.matcher(sh.script());
    if (r.heredocs().size() == 1 && lone.matches() && lone.group(2).equals(first.name())) {
      if (first.content().startsWith("#!")) {
        String script = "/dev/pipes/" + first.name();
        mounts.add(new RunMount.Script(script, first.content(), 0755));
        return s.commandArgs(new Command.Shell(script));
      }
      return s.commandArgs(new Command.Shell(first.content()));
    }
    StringBuilder full = new StringBuilder(sh.script());
    for (Heredoc h : r.heredocs()) {
      full.append('\n').append(h.content()).append(h.name());
    }
    return s.commandArgs(new Command.Shell(full.toString()));
  }

  private static String commandText(Command c) {
    return c instanceof Command.Shell sh ? sh.script() : ContainerPaths.jsonList(((Command.Exec) c).args());
  }

  /** The image env, then declared build args the env does not set (as BuildKit does). */
  private List<String> runEnv() {
    List<String> env = new ArrayList<>(s.config.config().envOrEmpty());
    Set<String> names = new HashSet<>();
    for (String e : env) {
      names.add(e.contains("=") ? e.substring(0, e.indexOf('=')) : e);
    }
    for (Map.Entry<String, String> a : s.args.entrySet()) {
      if (a.getValue() != null && names.add(a.getKey())) {
        env.add(a.getKey() + "=" + a.getValue());
      }
    }
    // a proxy given in either case reaches RUN in both, upper case winning (BuildKit's ProxyEnv)
    for (String upper : List.of("HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY")) {
      String lower = upper.toLowerCase(java.util.Locale.ROOT);
      Map<String, String> given = s.request().buildArgs();
      String value = given.containsKey(upper) ? given.get(upper) : given.get(lower);
      for (String name : List.of(upper, lower)) {
        if (value != null && names.add(name)) {
          env.add(name + "=" + value);
        }
      }
    }
    if (!names.contains("PATH")) {
      env.add("PATH=" + DockerfileFrontend.DEFAULT_PATH);
    }
    return env;
  }
}
