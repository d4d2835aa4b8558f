package dev.jbuild.cli;

import dev.jbuild.exporters.attest.ProvenanceRequest;
import java.util.Map;
import java.util.Optional;

/**
 * Provenance when the command line does not mention it, as buildx decides: {@code mode=min} and
 * "inline only" — attached only to outputs that carry attestations in the image itself (a
 * registry push, an OCI layout or archive), never written as files by {@code type=local|tar},
 * and not given to {@code --load} or {@code type=docker} (a classic image store drops them).
 * {@code BUILDX_NO_DEFAULT_ATTESTATIONS} set to a true value turns the default off; an explicit
 * {@code --provenance}/{@code --attest type=provenance} always wins.
 *
 * @param disabled whether the environment turned the default off
 */
record ProvenanceDefault(boolean disabled) {
  static final String NO_DEFAULT_ENV = "BUILDX_NO_DEFAULT_ATTESTATIONS";

  /** Reads {@value #NO_DEFAULT_ENV} with Go's {@code strconv.ParseBool} spellings, as buildx does. */
  static ProvenanceDefault fromEnvironment(Map<String, String> env) throws UserError {
    String v = env.get(NO_DEFAULT_ENV);
    if (v == null) {
      return new ProvenanceDefault(false);
    }
    return switch (v) {
      case "1", "t", "T", "true", "TRUE", "True" -> new ProvenanceDefault(true);
      case "0", "f", "F", "false", "FALSE", "False" -> new ProvenanceDefault(false);
      default -> throw new UserError("invalid " + NO_DEFAULT_ENV + "=" + v + ": expected true or false (1 or 0)");
    };
  }

  /**
   * What a build attests.
   *
   * @param asked what the flags said
   * @param provenanceGiven whether a flag named provenance at all (even to turn it off)
   * @param inlineOutputs whether some output carries attestations inside the image
   */
  AttestationFlags.Settings apply(AttestationFlags.Settings asked, boolean provenanceGiven, boolean inlineOutputs) {
    if (provenanceGiven || disabled || !inlineOutputs) {
      return asked;
    }
    return new AttestationFlags.Settings(Optional.of(ProvenanceRequest.Mode.MIN), asked.sbom());
  }
}
