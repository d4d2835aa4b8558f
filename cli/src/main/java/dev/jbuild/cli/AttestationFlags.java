package dev.jbuild.cli;

import dev.jbuild.exporters.attest.ProvenanceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --provenance}, {@code --sbom} and {@code --attest} as buildx spells them. Attestations are
 * off unless asked for: turning them on makes even a one-platform image an index, which changes
 * digests that builds without these flags keep byte-identical.
 */
final class AttestationFlags {
  @Option(names = "--provenance", paramLabel = "true|false|mode=min|max", arity = "0..1", fallbackValue = "mode=min",
      description = "Attach SLSA provenance v1 (an in-toto statement per platform; mode=max adds the Dockerfile and"
          + " build steps). --provenance alone means mode=min.")
  String provenance;

  @Option(names = "--sbom", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
      description = "Attach an SPDX 2.3 SBOM per platform listing the packages installed in the image"
          + " (dpkg, apk, package-lock.json, go.sum, Python dist-info).")
  String sbom;

  @Option(names = "--attest", paramLabel = "type=provenance|sbom[,mode=min|max]",
      description = "Attestation in buildx's long form; repeatable.")
  List<String> attest = new ArrayList<>();

  /** What was asked for, checked. */
  record Settings(Optional<ProvenanceRequest.Mode> provenance, boolean sbom) {
    boolean any() {
      return provenance.isPresent() || sbom;
    }
  }

  Settings settings() throws UserError {
    Optional<ProvenanceRequest.Mode> mode = Optional.empty();
    boolean wantSbom = false;
    if (provenance != null) {
      mode = provenanceMode(provenance, "--provenance");
    }
    if (sbom != null) {
      wantSbom = bool(sbom, "--sbom");
    }
    for (String a : attest) {
      Map<String, String> attrs;
      try {
        attrs = OutputSpec.parse("type=x," + a).attrs();
      } catch (IllegalArgumentException e) {
        throw new UserError("--attest " + a + ": " + e.getMessage());
      }
      String type = a.startsWith("type=") ? a.substring(5).split(",", 2)[0] : "";
      switch (type) {
        case "provenance" -> {
          String m = attrs.getOrDefault("mode", "min");
          mode = attrs.containsKey("disabled") && bool(attrs.get("disabled"), "--attest disabled")
              ? Optional.empty() : provenanceMode("mode=" + m, "--attest " + a);
        }
        case "sbom" -> wantSbom = !(attrs.containsKey("disabled") && bool(attrs.get("disabled"), "--attest disabled"));
        default -> throw new UserError("--attest " + a + ": expected type=provenance or type=sbom first");
      }
    }
    return new Settings(mode, wantSbom);
  }

  private static Optional<ProvenanceRequest.Mode> provenanceMode(String v, String flag) throws UserError {
    String s = v.strip();
    if (s.equals("true") || s.equals("1")) {
      return Optional.of(ProvenanceRequest.Mode.MIN);
    }
    if (s.equals("false") || s.equals("0")) {
      return Optional.empty();
    }
    String m = s.startsWith("mode=") ? s.substring(5) : s;
    try {
      return Optional.of(ProvenanceRequest.Mode.parse(m));
    } catch (IllegalArgumentException e) {
      throw new UserError(flag + "=" + v + ": expected true, false, mode=min or mode=max");
    }
  }

  private static boolean bool(String v, String flag) throws UserError {
    return switch (v.strip()) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new UserError(flag + "=" + v + ": expected true or false");
    };
  }
}
