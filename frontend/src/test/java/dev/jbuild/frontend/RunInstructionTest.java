package dev.jbuild.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.nativeexec.NetworkMode;
import dev.jbuild.nativeexec.RunLimits;
import dev.jbuild.nativeexec.Security;
import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.DockerfileParser;
import dev.jbuild.platform.Platform;
import dev.jbuild.solver.Entitlement;
import dev.jbuild.solver.Op;
import dev.jbuild.solver.RunMount;
import dev.jbuild.solver.RunOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RUN's flags (--mount, --network, --security) and here-documents, as BuildKit's frontend reads them. */
class RunInstructionTest {
  private static final RunOptions ALLOW_ALL = new RunOptions(NetworkMode.HOST,
      Set.of(Entitlement.NETWORK_HOST, Entitlement.SECURITY_INSECURE), Map.of(), Map.of());

  private static Op.Exec lastRun(String dockerfile, RunOptions options) throws DockerfileException {
    DockerfileFrontend f = new DockerfileFrontend((ref, p) -> {
      throw new AssertionError("no images in these tests: " + ref);
    }, Platform.LINUX_AMD64);
    BuildRequest req = new BuildRequest(Path.of("/ctx"), "Dockerfile", List.of(Platform.LINUX_AMD64), Map.of(),
        Optional.empty(), Map.of(), Optional.empty()).withRunOptions(options);
    BuildPlan plan = f.plan(DockerfileParser.parse("Dockerfile", dockerfile), dockerfile.lines().toList(), req);
    return (Op.Exec) plan.images().get(0).root().op();
  }

  private static Op.Exec lastRun(String dockerfile) throws DockerfileException {
    return lastRun(dockerfile, ALLOW_ALL);
  }

  private static String error(String dockerfile, RunOptions options) {
    return assertThrows(DockerfileException.class, () -> lastRun(dockerfile, options)).getMessage();
  }

  @Test
  void mountsGetBuildKitsDefaults() throws Exception {
    Op.Exec e = lastRun("""
        FROM scratch AS tools
        FROM scratch
        WORKDIR /src
        ARG CACHE=go-build
        RUN --mount=type=bind,target=ctx \\
            --mount=type=bind,from=tools,source=/usr/bin,target=/tools,rw \\
            --mount=type=cache,target=/root/.cache,id=$CACHE,sharing=locked,mode=0700,uid=1000,gid=1000 \\
            --mount=type=tmpfs,target=/tmp,size=64m \\
            --mount=type=secret,id=npmrc \\
            --mount=type=secret,id=token,env=TOKEN \\
            --mount=type=ssh \\
            make
        """);
    List<RunMount> m = e.mounts();
    assertEquals(7, m.size());
    RunMount.Bind ctx = (RunMount.Bind) m.get(0);
    assertEquals("/src/ctx", ctx.target(), "relative targets are under WORKDIR");
    assertTrue(ctx.source() instanceof Op.CopySource.Context);
    assertEquals(false, ctx.readWrite(), "bind mounts are read-only by default");
    RunMount.Bind stage = (RunMount.Bind) m.get(1);
    assertEquals("usr/bin", stage.sourcePath());
    assertTrue(stage.readWrite());
    assertTrue(stage.source() instanceof Op.CopySource.State);
    assertEquals(new RunMount.Cache("/root/.cache", "go-build", RunMount.Sharing.LOCKED, Optional.empty(), "", 0700, 1000,
        1000, false), m.get(2));
    assertEquals(new RunMount.Tmpfs("/tmp", 64L << 20), m.get(3));
    assertEquals(new RunMount.Secret("npmrc", Optional.of("/run/secrets/npmrc"), Optional.empty(), false, 0400, 0, 0),
        m.get(4));
    assertEquals(new RunMount.Secret("token", Optional.empty(), Optional.of("TOKEN"), false, 0400, 0, 0), m.get(5),
        "a secret given as env is not also a file");
    assertEquals(new RunMount.Ssh("default", "/run/buildkit/ssh_agent.0", false, 0600, 0, 0), m.get(6));
    assertTrue(e.env().contains("SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0"), e.env().toString());
    assertEquals(List.of(e.root(), ((Op.CopySource.State) stage.source()).vertex()), e.inputs(),
        "the stage of a bind mount is an input of the step");
  }

  @Test
  void cacheIdDefaultsToTheTarget() throws Exception {
    RunMount.Cache c = (RunMount.Cache) lastRun("FROM scratch\nRUN --mount=type=cache,dst=/var/cache/apt true\n")
        .mounts().get(0);
    assertEquals("/var/cache/apt", c.id());
    assertEquals(RunMount.Sharing.SHARED, c.sharing());
    assertEquals(0755, c.mode());
  }

  @Test
  void networkAndSecurityNeedTheirEntitlements() throws Exception {
    assertEquals(NetworkMode.NONE, lastRun("FROM scratch\nRUN --network=none true\n").network());
    assertEquals(NetworkMode.HOST, lastRun("FROM scratch\nRUN --network=host true\n").network());
    assertEquals(Security.INSECURE, lastRun("FROM scratch\nRUN --security=insecure true\n").security());
    assertEquals(Security.SANDBOX, lastRun("FROM scratch\nRUN true\n").security());

    String host = error("FROM scratch\nRUN --network=host true\n", RunOptions.DEFAULT);
    assertTrue(host.contains("Dockerfile:2:1: RUN --network=host needs the network.host entitlement: add --allow"
        + " network.host to the build command"), host);
    String insecure = error("FROM scratch\nRUN --security=insecure true\n", RunOptions.DEFAULT);
    assertTrue(insecure.contains("needs the security.insecure entitlement: add --allow security.insecure"), insecure);
    String bridge = error("FROM scratch\nRUN --network=bridge true\n", RunOptions.DEFAULT);
    assertTrue(bridge.contains("Dockerfile:2:5: unsupported network mode \"bridge\" (expected default, none or host)"),
        bridge);
  }

  @Test
  void theBuildsNetworkIsTheDefaultOfEveryStep() throws Exception {
    RunOptions none = new RunOptions(NetworkMode.NONE, Set.of(), Map.of(), Map.of());
    assertEquals(NetworkMode.NONE, lastRun("FROM scratch\nRUN true\n", none).network());
    assertEquals(NetworkMode.NONE, lastRun("FROM scratch\nRUN --network=default true\n", none).network());
  }

  @Test
  void theBuildsRunLimitsReachEveryStep() throws Exception {
    RunLimits limits = new RunLimits(List.of(new RunLimits.HostEntry("db", "10.0.0.2")), 1 << 27,
        List.of(new RunLimits.Rlimit("nofile", 1024, 2048)));
    assertEquals(limits, lastRun("FROM scratch\nRUN true\n", ALLOW_ALL.withLimits(limits)).limits());
    assertEquals(limits, lastRun("FROM scratch\nRUN --network=none --mount=type=tmpfs,target=/t true\n",
        ALLOW_ALL.withLimits(limits)).limits());
    assertEquals(RunLimits.NONE, lastRun("FROM scratch\nRUN true\n").limits());
  }

  @Test
  void badMountsAreLocatedErrors() {
    assertTrue(error("FROM scratch\nRUN --mount=type=cache true\n", ALLOW_ALL)
        .contains("RUN --mount=type=cache: a cache mount needs a target (target=…)"));
    assertTrue(error("FROM scratch\nRUN --mount=type=volume,target=/x true\n", ALLOW_ALL)
        .contains("unsupported mount type \"volume\""));
    assertTrue(error("FROM scratch\nRUN --mount=type=tmpfs,target=/x,id=a true\n", ALLOW_ALL)
        .contains("unexpected key 'id' for a tmpfs mount"));
    assertTrue(error("FROM scratch\nRUN --mount=type=cache,target=/x,sharing=all true\n", ALLOW_ALL)
        .contains("unsupported sharing value \"all\""));
    assertTrue(error("FROM scratch\nRUN --mount=type=bind,target=/x,source=../../etc true\n", ALLOW_ALL)
        .contains("leads out of its root"));
    assertTrue(error("FROM scratch\nRUN --mount=type=tmpfs,target=/ true\n", ALLOW_ALL)
        .contains("a mount cannot cover the root directory"));
  }

  @Test
  void aLoneHeredocRunsItsBodyWithTheShell() throws Exception {
    Op.Exec e = lastRun("FROM scratch\nRUN <<EOF\necho one\necho two\nEOF\n");
    assertEquals(List.of("/bin/sh", "-c", "echo one\necho two\n"), e.args());
    assertEquals(List.of(), e.mounts());
  }

  @Test
  void aShebangHeredocRunsAsAMountedScript() throws Exception {
    Op.Exec e = lastRun("FROM scratch\nRUN <<EOT\n#!/usr/bin/env python3\nprint('hi')\nEOT\n");
    assertEquals(List.of("/bin/sh", "-c", "/dev/pipes/EOT"), e.args());
    assertEquals(List.of(new RunMount.Script("/dev/pipes/EOT", "#!/usr/bin/env python3\nprint('hi')\n", 0755)),
        e.mounts());
  }

  @Test
  void otherHeredocCommandsGoToTheShellWhole() throws Exception {
    Op.Exec e = lastRun("FROM scratch\nRUN cat <<A > /a && cat <<B > /b\nfirst\nA\nsecond\nB\n");
    assertEquals(List.of("/bin/sh", "-c", "cat <<A > /a && cat <<B > /b\nfirst\nA\nsecond\nB"), e.args());
  }
}
