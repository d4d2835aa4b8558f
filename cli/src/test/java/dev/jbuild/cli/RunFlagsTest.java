package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.nativeexec.NetworkMode;
import dev.jbuild.solver.Entitlement;
import dev.jbuild.solver.RunOptions;
import dev.jbuild.solver.SecretSource;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --network, --allow, --secret and --ssh as buildx spells them. */
class RunFlagsTest {
  @TempDir
  Path tmp;

  @Test
  void networkHostGrantsItsEntitlementAsBuildxDoes() throws Exception {
    RunOptions o = RunFlags.parse("host", List.of(), List.of(), List.of(), Map.of());
    assertEquals(NetworkMode.HOST, o.network());
    assertEquals(Set.of(Entitlement.NETWORK_HOST), o.allowed());
    assertEquals(NetworkMode.NONE, RunFlags.parse("none", List.of(), List.of(), List.of(), Map.of()).network());
    assertEquals(Set.of(), RunFlags.parse("default", List.of(), List.of(), List.of(), Map.of()).allowed());
    assertEquals(Set.of(Entitlement.SECURITY_INSECURE, Entitlement.NETWORK_HOST),
        RunFlags.parse("default", List.of("security.insecure", "network.host"), List.of(), List.of(), Map.of()).allowed());
    UserError bad = assertThrows(UserError.class, () -> RunFlags.parse("bridge", List.of(), List.of(), List.of(), Map.of()));
    assertEquals("--network=bridge: expected default, none or host", bad.getMessage());
  }

  @Test
  void secretsComeFromFilesOrTheEnvironment() throws Exception {
    Path file = Files.writeString(tmp.resolve("token"), "x");
    Map<String, SecretSource> s = RunFlags.parseSecrets(List.of("id=a,src=" + file, "id=b,env=B_VAR", "id=C_VAR"),
        Map.of("B_VAR", "1", "C_VAR", "2"));
    assertEquals(new SecretSource.FromFile(file), s.get("a"));
    assertEquals(new SecretSource.FromEnv("B_VAR"), s.get("b"));
    assertEquals(new SecretSource.FromEnv("C_VAR"), s.get("C_VAR"), "only an id: the variable of that name");
    assertTrue(assertThrows(UserError.class, () -> RunFlags.parseSecrets(List.of("id=a,src=/nonexistent"), Map.of()))
        .getMessage().contains("/nonexistent is not a readable file"));
    assertTrue(assertThrows(UserError.class, () -> RunFlags.parseSecrets(List.of("id=a,env=UNSET"), Map.of()))
        .getMessage().contains("the environment variable UNSET is not set"));
  }

  @Test
  void sshTakesAgentSocketsOnly() throws Exception {
    Path sock = tmp.resolve("agent.sock");
    try (ServerSocketChannel agent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      agent.bind(UnixDomainSocketAddress.of(sock));
      assertEquals(Map.of("default", sock), RunFlags.parseSsh(List.of("default"), Map.of("SSH_AUTH_SOCK", sock.toString())));
      assertEquals(Map.of("github", sock), RunFlags.parseSsh(List.of("github=" + sock), Map.of()));
      String noAgent = assertThrows(UserError.class, () -> RunFlags.parseSsh(List.of("default"), Map.of())).getMessage();
      assertTrue(noAgent.contains("SSH_AUTH_SOCK is not set"), noAgent);
      Path key = Files.writeString(tmp.resolve("id_ed25519"), "key");
      assertTrue(assertThrows(UserError.class, () -> RunFlags.parseSsh(List.of("k=" + key), Map.of())).getMessage()
          .contains("is not an ssh agent socket"));
    }
  }
}
