package dev.jbuild.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.exporters.attest.Provenance;
import dev.jbuild.exporters.attest.RegistryAttestations;
import dev.jbuild.exporters.attest.Sbom;
import dev.jbuild.oci.InvalidDocumentException;
import dev.jbuild.oci.Json;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.registry.RegistryException;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jbuild attestations REF}: prints the provenance and SBOM attached to a pushed image, as
 * {@code {"linux/amd64": {"provenance": {…}, "sbom": {…}}}} (the in-toto statements), or with
 * {@code --type} only that predicate per platform — what {@code imagetools inspect --format
 * '{{json .Provenance}}'} shows in buildx.
 */
@Command(name = "attestations", mixinStandardHelpOptions = true,
    description = "Print the provenance and SBOM attestations of a pushed image.")
final class AttestationsCommand implements Callable<Integer> {
  @Mixin PushedImageArgs pushed = new PushedImageArgs();

  @Option(names = "--type", paramLabel = "provenance|sbom", description = "Print only this predicate, per platform.")
  String type;

  @Override
  public Integer call() {
    try {
      System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(read()));
      return 0;
    } catch (UserError e) {
      System.err.println("ERROR: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      System.err.println("ERROR: " + e.getMessage());
      return 1;
    }
  }

  private ObjectNode read() throws UserError, IOException {
    if (type != null && !Set.of("provenance", "sbom").contains(type)) {
      throw new UserError("--type " + type + ": expected provenance or sbom");
    }
    var image = pushed.reference();
    RegistryClient client = pushed.client();
    List<RegistryAttestations.Found> found;
    try {
      found = RegistryAttestations.read(client, image);
    } catch (RegistryException | InvalidDocumentException e) {
      throw new UserError(pushed.ref + ": " + e.getMessage(), e);
    }
    if (found.isEmpty()) {
      throw new UserError(pushed.ref + ": no attestations (build with --provenance or --sbom and push)");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    for (RegistryAttestations.Found f : found) {
      String kind = f.predicateType().equals(Provenance.PREDICATE_TYPE) ? "provenance"
          : f.predicateType().equals(Sbom.PREDICATE_TYPE) ? "sbom" : f.predicateType();
      if (type != null && !type.equals(kind)) {
        continue;
      }
      JsonNode statement = Json.MAPPER.readTree(f.statement());
      ObjectNode perPlatform = out.has(f.platform().toString()) ? (ObjectNode) out.get(f.platform().toString())
          : out.putObject(f.platform().toString());
      perPlatform.set(kind, type == null ? statement : statement.path("predicate"));
    }
    return out;
  }
}
