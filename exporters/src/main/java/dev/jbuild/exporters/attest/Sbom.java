package dev.jbuild.exporters.attest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * An SPDX 2.3 JSON document per platform ({@code --sbom=true}) listing the packages installed in
 * the image, as an in-toto statement with predicate type {@code https://spdx.dev/Document}
 * (what BuildKit's SBOM generator attaches).
 */
public final class Sbom implements Attestor {
  public static final String PREDICATE_TYPE = "https://spdx.dev/Document";

  private final Instant created;
  private final List<String> names;

  /** @param created the document's creation time (SOURCE_DATE_EPOCH when set, so it is reproducible) */
  public Sbom(Instant created, List<String> names) {
    this.created = created;
    this.names = List.copyOf(names);
  }

  @Override
  public List<Attestation> attest(AttestedImage image) throws IOException {
    List<Package> packages = PackageCatalogs.packages(
        ImageFiles.read(image.layers(), image.content(), PackageCatalogs::wanted));
    return List.of(new Attestation(PREDICATE_TYPE,
        Statements.statement(PREDICATE_TYPE, image, names, document(image, packages))));
  }

  ObjectNode document(AttestedImage image, List<Package> packages) {
    ObjectNode d = Statements.object();
    d.put("spdxVersion", "SPDX-2.3");
    d.put("dataLicense", "CC0-1.0");
    d.put("SPDXID", "SPDXRef-DOCUMENT");
    String name = "image " + image.platform();
    d.put("name", name);
    // unique per image, stable across identical builds
    d.put("documentNamespace", "https://jbuild.dev/spdx/" + image.manifest().digestValue().hex());
    ObjectNode info = d.putObject("creationInfo");
    info.put("created", created.toString());
    info.putArray("creators").add("Tool: jbuild");
    ArrayNode pkgs = d.putArray("packages");
    ArrayNode rels = d.putArray("relationships");
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Package p : packages) {
      String id = "SPDXRef-Package-" + Digest.sha256((p.purl() + "\n" + p.source()).getBytes(StandardCharsets.UTF_8))
          .hex().substring(0, 16);
      if (!seen.add(id)) {
        continue; // listed twice in one file
      }
      ObjectNode o = pkgs.addObject();
      o.put("SPDXID", id);
      o.put("name", p.name());
      o.put("versionInfo", p.version());
      o.put("downloadLocation", "NOASSERTION");
      o.put("filesAnalyzed", false);
      o.put("sourceInfo", "listed in /" + p.source());
      ObjectNode ref = o.putArray("externalRefs").addObject();
      ref.put("referenceCategory", "PACKAGE-MANAGER");
      ref.put("referenceType", "purl");
      ref.put("referenceLocator", p.purl());
      ObjectNode rel = rels.addObject();
      rel.put("spdxElementId", "SPDXRef-DOCUMENT");
      rel.put("relationshipType", "DESCRIBES");
      rel.put("relatedSpdxElement", id);
    }
    return d;
  }
}
