package dev.jbuild.cli;

import dev.jbuild.exporters.attest.ProvenanceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --provenance}, {@code --sbom} and {@code --attest} as buildx spells them. Without them an
 * image output still gets min-mode provenance ({@link ProvenanceDefault}), as with buildx, which
 * makes even a one-platform push an index; {@code --provenance=false} turns it off.
 */
final class AttestationFlags {
  String provenance;
  String sbom;
  List<String> attest = new ArrayList<>();

  /** The options, bound to this object. */
  CommandSpec mixin() {
    return CommandSpecs.mixin(
        CommandSpecs.option(String.class, () -> provenance, v -> provenance = v, "--provenance")
            .paramLabel("true|false|mode=min|max").arity("0..1").fallbackValue("mode=min")
            .parameterConsumer(new OwnValueOnly())
            .description("Attach SLSA provenance v1 (an in-toto statement per platform; mode=max adds the Dockerfile"
                + " and build steps). --provenance alone means mode=min. Default, as buildx: mode=min for pushes and"
                + " OCI outputs, none for local, tar, docker and --load; false or BUILDX_NO_DEFAULT_ATTESTATIONS=1"
                + " turns it off.").build(),
        CommandSpecs.option(String.class, () -> sbom, v -> sbom = v, "--sbom")
            .paramLabel("true|false").arity("0..1").fallbackValue("true").parameterConsumer(new OwnValueOnly())
            .description("Attach an SPDX 2.3 SBOM per platform listing the packages installed in the image"
                + " (dpkg, apk, package-lock.json, go.sum, Python dist-info).").build(),
        CommandSpecs.strings(() -> attest, v -> attest = v, "--attest").paramLabel("type=provenance|sbom[,mode=min|max]")
            .description("Attestation in buildx's long form; repeatable.").build());
  }

  /**
   * Takes the next argument as the flag's value only when it looks like one ({@code true},
   * {@code false}, {@code min}, {@code max} or {@code key=value}), as buildx's optional-value
   * flags do: {@code build --sbom .} builds {@code .} with an SBOM instead of reading {@code .}
   * as the flag's value.
   */
  static final class OwnValueOnly implements picocli.CommandLine.IParameterConsumer {
    private static final java.util.Set<String> WORDS = java.util.Set.of("true", "false", "1", "0", "min", "max");

    @Override
    public void consumeParameters(java.util.Stack<String> args, picocli.CommandLine.Model.ArgSpec arg,
        picocli.CommandLine.Model.CommandSpec command) {
      String value = String.valueOf(((picocli.CommandLine.Model.OptionSpec) arg).fallbackValue());
      if (!args.isEmpty() && (WORDS.contains(args.peek()) || args.peek().contains("=") && !args.peek().startsWith("-"))) {
        value = args.pop();
      }
      arg.setValue(value);
    }
  }

  /** What is attested. */
  record Settings(Optional<ProvenanceRequest.Mode> provenance, boolean sbom) {
    boolean any() {
      return provenance.isPresent() || sbom;
    }
  }

  /** What the build attests: the flags, else the default for these outputs and this environment. */
  Settings effective(java.util.Map<String, String> env, boolean inlineOutputs) throws UserError {
    return ProvenanceDefault.fromEnvironment(env).apply(settings(), provenanceGiven(), inlineOutputs);
  }

  /** Whether a flag names provenance at all, even to turn it off. */
  boolean provenanceGiven() {
    return provenance != null || attest.stream().anyMatch(a -> {
      try {
        return OutputSpec.parse(a).type().equals("provenance");
      } catch (IllegalArgumentException e) {
        return false; // settings() reports it
      }
    });
  }

  /** What the flags alone ask for, checked. */
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
      OutputSpec spec;
      try {
        spec = OutputSpec.parse(a);
      } catch (IllegalArgumentException e) {
        throw new UserError("--attest " + a + ": " + e.getMessage());
      }
      Map<String, String> attrs = spec.attrs();
      String type = spec.type();
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
