package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.exporters.attest.ProvenanceRequest.Mode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** buildx's default provenance: min mode, inline outputs only, off by flag or environment. */
class ProvenanceDefaultTest {
  private static final AttestationFlags.Settings MIN = new AttestationFlags.Settings(Optional.of(Mode.MIN), false);
  private static final AttestationFlags.Settings NONE = new AttestationFlags.Settings(Optional.empty(), false);

  private static AttestationFlags.Settings effective(Map<String, String> env, String... args) throws Exception {
    BuildCommand b = ParsedCommands.build(args);
    Outputs outs = Outputs.parse(b.outputs, b.push, b.tags, b.annotations, Optional.<Instant>empty());
    return b.attestationFlags.effective(env, outs.takesInlineAttestations());
  }

  private static AttestationFlags.Settings effective(String... args) throws Exception {
    return effective(Map.of(), args);
  }

  @Test
  void imageOutputsGetMinProvenance() throws Exception {
    assertEquals(MIN, effective("--push", "-t", "127.0.0.1:5000/app:1", "."));
    assertEquals(MIN, effective("-o", "type=registry,name=127.0.0.1:5000/app:1", "."));
    assertEquals(MIN, effective("-o", "type=image,name=127.0.0.1:5000/app:1,push=true", "."));
    assertEquals(MIN, effective("-o", "type=oci,dest=app.tar", "."));
    assertEquals(MIN, effective("-o", "type=oci,dest=app,tar=false", "."));
    // one inline output among others is enough, as BuildKit attaches it where it can
    assertEquals(MIN, effective("-o", "type=local,dest=out", "-o", "type=oci,dest=app.tar", "."));
    assertEquals(new AttestationFlags.Settings(Optional.of(Mode.MIN), true), effective("--sbom", "--push", "-t", "r:5000/a", "."));
  }

  @Test
  void filesDockerArchivesAndNoOutputGetNone() throws Exception {
    assertEquals(NONE, effective("-o", "type=local,dest=out", "."));
    assertEquals(NONE, effective("-o", "type=tar,dest=out.tar", "."));
    assertEquals(NONE, effective("-o", "type=docker,dest=app.tar", "."));
    assertEquals(NONE, effective("-o", "type=oci,dest=app.tar,oci-mediatypes=false", "."));
    assertEquals(NONE, effective("-o", "type=image,name=r:5000/a", ".")); // an image output that neither pushes nor stores
    assertEquals(NONE, effective("."));
  }

  @Test
  void explicitFlagsWin() throws Exception {
    assertEquals(NONE, effective("--provenance=false", "--push", "-t", "r:5000/a", "."));
    assertEquals(NONE, effective("--provenance=0", "--push", "-t", "r:5000/a", "."));
    assertEquals(NONE, effective("--provenance", "false", "--push", "-t", "r:5000/a", "."));
    assertEquals(NONE, effective("--attest", "type=provenance,disabled=true", "--push", "-t", "r:5000/a", "."));
    assertEquals(new AttestationFlags.Settings(Optional.of(Mode.MAX), false),
        effective("--provenance=mode=max", "--push", "-t", "r:5000/a", "."));
    // asked for explicitly, it is made for local/tar outputs too (BuildKit writes it next to the files)
    assertEquals(MIN, effective("--provenance", "-o", "type=local,dest=out", "."));
    assertEquals(MIN, effective(Map.of(ProvenanceDefault.NO_DEFAULT_ENV, "1"), "--provenance=true", "--push", "-t", "r:5000/a", "."));
  }

  @Test
  void environmentTurnsTheDefaultOff() throws Exception {
    for (String yes : List.of("1", "t", "T", "true", "TRUE", "True")) {
      assertEquals(NONE, effective(Map.of(ProvenanceDefault.NO_DEFAULT_ENV, yes), "--push", "-t", "r:5000/a", "."), yes);
      assertTrue(ProvenanceDefault.fromEnvironment(Map.of(ProvenanceDefault.NO_DEFAULT_ENV, yes)).disabled());
    }
    for (String no : List.of("0", "f", "F", "false", "FALSE", "False")) {
      assertEquals(MIN, effective(Map.of(ProvenanceDefault.NO_DEFAULT_ENV, no), "--push", "-t", "r:5000/a", "."), no);
      assertFalse(ProvenanceDefault.fromEnvironment(Map.of(ProvenanceDefault.NO_DEFAULT_ENV, no)).disabled());
    }
    assertEquals("invalid BUILDX_NO_DEFAULT_ATTESTATIONS=yes: expected true or false (1 or 0)",
        assertThrows(UserError.class, () -> effective(Map.of(ProvenanceDefault.NO_DEFAULT_ENV, "yes"), "--push", "-t",
            "r:5000/a", ".")).getMessage());
  }
}
