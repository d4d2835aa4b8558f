package dev.jbuild.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each instruction carries its flags parsed once into typed fields. */
class TypedFlagsTest {

  private static Instruction second(String line) throws DockerfileException {
    return DockerfileParser.parse("Dockerfile", "FROM a\n" + line).instructions().get(1);
  }

  @Test
  void fromPlatformIsRaw() throws DockerfileException {
    Instruction.From f = (Instruction.From) DockerfileParser.parse("Dockerfile",
        "FROM --platform=$BUILDPLATFORM golang AS b").instructions().get(0);
    assertEquals(Optional.of("$BUILDPLATFORM"), f.platform());
    assertEquals(Optional.empty(), ((Instruction.From) second("FROM x")).platform());
  }

  @Test
  void run() throws DockerfileException {
    Instruction.Run r = (Instruction.Run) second(
        "RUN --mount=type=cache,target=/c --network=none --security=insecure --mount=type=tmpfs,target=$T make");
    assertEquals(new RunFlags(List.of("type=cache,target=/c", "type=tmpfs,target=$T"),
        RunFlags.Network.NONE, RunFlags.Security.INSECURE, List.of()), r.options());
    assertEquals(RunFlags.NONE, ((Instruction.Run) second("RUN make")).options());
    assertEquals(RunFlags.Network.HOST, ((Instruction.Run) second("RUN --network=host make")).options().network());
  }

  @Test
  void runRejectsUnknownModesAtTheFlag() {
    DockerfileException e = assertThrows(DockerfileException.class, () -> second("RUN --network=bridge make"));
    assertEquals("Dockerfile:2:5: unsupported network mode \"bridge\" (expected default, none or host)",
        e.getMessage().lines().findFirst().orElseThrow());
    e = assertThrows(DockerfileException.class, () -> second("RUN --security=$S make"));
    assertEquals("Dockerfile:2:5: security mode \"$S\" is not valid (expected sandbox or insecure)",
        e.getMessage().lines().findFirst().orElseThrow());
  }

  @Test
  void copy() throws DockerfileException {
    Instruction.Copy c = (Instruction.Copy) second(
        "COPY --from=build --chown=app:app --chmod=0755 --link --parents --exclude=*.md --exclude=tmp/ a /b/");
    assertEquals(new CopyFlags(Optional.of("build"), Optional.of("app:app"), Optional.of("0755"), true, true,
        List.of("*.md", "tmp/")), c.options());
    assertEquals(CopyFlags.NONE, ((Instruction.Copy) second("COPY a b")).options());
    assertEquals(false, ((Instruction.Copy) second("COPY --link=false a b")).options().link());
  }

  @Test
  void add() throws DockerfileException {
    Instruction.Add a = (Instruction.Add) second(
        "ADD --keep-git-dir=true --checksum=sha256:$SUM --unpack=false --chown=1 https://x/a.git /src");
    assertEquals(new AddFlags(Optional.of("1"), Optional.empty(), false, true, Optional.of("sha256:$SUM"),
        List.of(), Optional.of(false)), a.options());
    assertEquals(AddFlags.NONE, ((Instruction.Add) second("ADD a b")).options());
    assertEquals(Optional.of(true), ((Instruction.Add) second("ADD --unpack a b")).options().unpack());
  }

  @Test
  void healthcheckDurationsAreParsedOnce() throws DockerfileException {
    Instruction.Healthcheck h = (Instruction.Healthcheck) second(
        "HEALTHCHECK --interval=1m30s --timeout=0 --start-period=1.5s --start-interval=500ms --retries=3 CMD true");
    assertEquals(new HealthcheckFlags(Optional.of(Duration.ofSeconds(90)), Optional.of(Duration.ZERO),
        Optional.of(Duration.ofMillis(1500)), Optional.of(Duration.ofMillis(500)), Optional.of(3)), h.options());
    assertEquals(HealthcheckFlags.NONE, ((Instruction.Healthcheck) second("HEALTHCHECK CMD true")).options());
    assertEquals(HealthcheckFlags.NONE, ((Instruction.Healthcheck) second("HEALTHCHECK --interval= CMD true")).options());
  }

  @Test
  void healthcheckRejectsBadDurationsAtTheFlag() {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> second("HEALTHCHECK --interval=5 CMD x"));
    assertEquals("Dockerfile:2:13: invalid duration \"5\" for --interval: missing unit (examples: 30s, 1m30s, 500ms)",
        e.getMessage().lines().findFirst().orElseThrow());
    e = assertThrows(DockerfileException.class, () -> second("HEALTHCHECK --timeout=100us CMD x"));
    assertEquals("Dockerfile:2:13: --timeout cannot be less than 1ms (100us)",
        e.getMessage().lines().findFirst().orElseThrow());
  }
}
