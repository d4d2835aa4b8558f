package dev.jbuild.cli;

import dev.jbuild.cli.bake.BakeTarget;
import dev.jbuild.solver.CaCertificates;
import dev.jbuild.solver.RunOptions;
import dev.jbuild.solver.SecretSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The RUN options of each bake target, from its own settings as {@code jbuild build} would take
 * them on its command line: network, extra hosts, /dev/shm size and ulimits are part of that
 * target's RUN ops. Secrets are lent by the one worker of the shared solve, so every target gets
 * the secrets of all of them; one id with two different sources is refused rather than guessed.
 */
final class BakeRunOptions {
  private BakeRunOptions() {}

  static List<RunOptions> of(List<BakeTarget> targets, Optional<CaCertificates> ca, Map<String, String> env)
      throws UserError {
    Map<String, SecretSource> secrets = new LinkedHashMap<>();
    Map<String, String> secretOwner = new LinkedHashMap<>();
    for (BakeTarget t : targets) {
      for (Map.Entry<String, SecretSource> s : parse(t, () -> RunFlags.parseSecrets(t.secrets(), env)).entrySet()) {
        SecretSource before = secrets.putIfAbsent(s.getKey(), s.getValue());
        if (before != null && !before.equals(s.getValue())) {
          throw new UserError("target \"" + t.name() + "\": secret id \"" + s.getKey() + "\" has another source in"
              + " target \"" + secretOwner.get(s.getKey()) + "\"; bake builds all targets in one solve, so give"
              + " the two secrets different ids");
        }
        secretOwner.putIfAbsent(s.getKey(), t.name());
      }
    }
    List<RunOptions> out = new ArrayList<>();
    for (BakeTarget t : targets) {
      RunLimitFlags limits = limits(t.run());
      RunOptions options = parse(t, () -> RunFlags.parse(t.run().network().orElse("default"), List.of(), List.of(),
          List.of(), env).withLimits(limits.runLimits()));
      out.add(new RunOptions(options.network(), options.allowed(), secrets, Map.of(), options.limits(), ca));
    }
    return out;
  }

  /** The settings in the shape of {@code --add-host}, {@code --shm-size} and {@code --ulimit}. */
  private static RunLimitFlags limits(BakeTarget.RunSettings run) {
    RunLimitFlags f = new RunLimitFlags();
    run.extraHosts().forEach((host, addresses) -> {
      for (String a : addresses.split(",")) {
        f.addHosts.add(host + "=" + a.strip());
      }
    });
    f.shmSize = run.shmSize().orElse(null);
    f.ulimits.addAll(run.ulimits());
    return f;
  }

  private interface Parse<T> {
    T get() throws UserError;
  }

  /** The flag's error, said of the target it comes from. */
  private static <T> T parse(BakeTarget t, Parse<T> p) throws UserError {
    try {
      return p.get();
    } catch (UserError e) {
      throw new UserError("target \"" + t.name() + "\": " + e.getMessage().replaceFirst("^--add-host ", "extra-hosts ")
          .replaceFirst("^--shm-size ", "shm-size ").replaceFirst("^--ulimit ", "ulimits ")
          .replaceFirst("^--network=", "network=").replaceFirst("^--secret ", "secret "));
    }
  }
}
