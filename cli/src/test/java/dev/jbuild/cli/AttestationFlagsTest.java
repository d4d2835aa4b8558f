package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.exporters.attest.ProvenanceRequest.Mode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code --provenance}, {@code --sbom} and {@code --attest} as buildx spells them. */
class AttestationFlagsTest {
  private static BuildCommand parse(String... args) {
    return ParsedCommands.build(args);
  }

  @Test
  void aBareFlagDoesNotSwallowTheContext() throws Exception {
    BuildCommand b = parse("--sbom", "--provenance", "ctx");
    assertEquals("ctx", b.context);
    assertEquals(new AttestationFlags.Settings(Optional.of(Mode.MIN), true), b.attestationFlags.settings());
    BuildCommand c = parse("--provenance", "mode=max", "--sbom=false", ".");
    assertEquals(".", c.context);
    assertEquals(new AttestationFlags.Settings(Optional.of(Mode.MAX), false), c.attestationFlags.settings());
  }

  @Test
  void attestLongFormAndBadValues() throws Exception {
    assertEquals(new AttestationFlags.Settings(Optional.of(Mode.MAX), true),
        parse("--attest", "type=provenance,mode=max", "--attest", "type=sbom", ".").attestationFlags.settings());
    assertEquals(new AttestationFlags.Settings(Optional.empty(), false), parse(".").attestationFlags.settings());
    assertEquals("--provenance=mode=huge: expected true, false, mode=min or mode=max", assertThrows(UserError.class,
        () -> parse("--provenance=mode=huge", ".").attestationFlags.settings()).getMessage());
    assertEquals("--sbom=maybe=1: expected true or false", assertThrows(UserError.class,
        () -> parse("--sbom=maybe=1", ".").attestationFlags.settings()).getMessage());
    assertEquals("--attest type=spdx: expected type=provenance or type=sbom first", assertThrows(UserError.class,
        () -> parse("--attest", "type=spdx", ".").attestationFlags.settings()).getMessage());
  }
}
