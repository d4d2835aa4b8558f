package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.cli.bake.BakeTarget;
import dev.jbuild.nativeexec.NetworkMode;
import dev.jbuild.nativeexec.RunLimits;
import dev.jbuild.solver.RunOptions;
import dev.jbuild.solver.SecretSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bake target's RUN options come from its own settings; secrets are shared by the solve. */
class BakeRunOptionsTest {
  @TempDir Path dir;

  private static BakeTarget target(String name, List<String> secrets, BakeTarget.RunSettings run) {
    return new BakeTarget(name, ".", "Dockerfile", Map.of(), Map.of(), List.of(), List.of(), Optional.empty(), List.of(),
        List.of(), secrets, Map.of(), List.of(), false, false, run);
  }

  @Test
  void eachTargetGetsItsOwnLimitsAndNetworkAndAllSecrets() throws Exception {
    Path a = Files.writeString(dir.resolve("a"), "a");
    List<RunOptions> options = BakeRunOptions.of(List.of(
        target("tuned", List.of("id=tok,src=" + a), new BakeTarget.RunSettings(Optional.of("none"),
            Map.of("db", "10.1.2.3,fd00::5"), Optional.of("128m"), List.of("nofile=1234:5678"))),
        target("plain", List.of("id=env1,env=HOME"), BakeTarget.RunSettings.DEFAULT)), Optional.empty(),
        Map.of("HOME", "/root"));
    assertEquals(NetworkMode.NONE, options.get(0).network());
    assertEquals(new RunLimits(List.of(new RunLimits.HostEntry("db", "10.1.2.3"), new RunLimits.HostEntry("db", "fd00::5")),
        128L << 20, List.of(new RunLimits.Rlimit("nofile", 1234, 5678))), options.get(0).limits());
    assertEquals(NetworkMode.HOST, options.get(1).network());
    assertEquals(RunLimits.NONE, options.get(1).limits());
    Map<String, SecretSource> both = Map.of("tok", new SecretSource.FromFile(a.toAbsolutePath()),
        "env1", new SecretSource.FromEnv("HOME"));
    assertEquals(both, options.get(0).secrets());
    assertEquals(both, options.get(1).secrets());
  }

  @Test
  void oneSecretIdWithTwoSourcesIsRefused() throws Exception {
    Path a = Files.writeString(dir.resolve("a"), "a");
    Path b = Files.writeString(dir.resolve("b"), "b");
    UserError e = assertThrows(UserError.class, () -> BakeRunOptions.of(List.of(
        target("api", List.of("id=tok,src=" + a), BakeTarget.RunSettings.DEFAULT),
        target("web", List.of("id=tok,src=" + b), BakeTarget.RunSettings.DEFAULT)), Optional.empty(), Map.of()));
    assertEquals("target \"web\": secret id \"tok\" has another source in target \"api\"; bake builds all targets in one"
        + " solve, so give the two secrets different ids", e.getMessage());
    UserError ulimit = assertThrows(UserError.class, () -> BakeRunOptions.of(List.of(target("api", List.of(),
        new BakeTarget.RunSettings(Optional.empty(), Map.of(), Optional.empty(), List.of("nofiles=1")))),
        Optional.empty(), Map.of()));
    assertEquals(true, ulimit.getMessage().startsWith("target \"api\": ulimits nofiles=1: invalid ulimit"), ulimit.getMessage());
  }
}
