package dev.jbuild.cli;

import dev.jbuild.exporters.attest.Attestor;
import dev.jbuild.exporters.attest.Provenance;
import dev.jbuild.exporters.attest.Sbom;
import dev.jbuild.frontend.BuildRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The attestor a build's flags ask for: provenance and/or SBOM, or none. */
final class Attestations {
  private Attestations() {}

  /**
   * @param names the image names, for the statements' subjects
   * @param started when the build started; with SOURCE_DATE_EPOCH every time in a statement is
   *     that instead, so attested builds stay reproducible
   */
  static BuildRunner.AttestorFactory factory(AttestationFlags.Settings settings, BuildRequest request,
      List<String> names, Instant started) {
    if (!settings.any()) {
      return (plan, text) -> Attestor.NONE;
    }
    return (plan, text) -> {
      Instant start = request.sourceDateEpoch().orElse(started);
      Instant end = request.sourceDateEpoch().orElse(Instant.now());
      List<Attestor> all = new ArrayList<>();
      settings.provenance().ifPresent(mode -> all.add(new Provenance(
          ProvenanceFacts.request(mode, plan, request, text, start, end, names))));
      if (settings.sbom()) {
        all.add(new Sbom(end, names));
      }
      return Attestor.all(all);
    };
  }
}
