package dev.jbuild.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.InvalidDocumentException;
import dev.jbuild.oci.Json;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.registry.FetchedManifest;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.registry.RegistryException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild imagetools inspect REF}: buildx's summary (name, media type, digest, the manifests
 * with their platforms), {@code --raw} (the exact bytes the registry serves) or {@code --format}
 * ({@code {{json .Manifest}}}, {@code {{json .Image}}}, {@code {{json .Provenance}}},
 * {@code {{json .SBOM}}}, {@code {{.Name}}} …; an unsupported template exits 2).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Show details of an image in the registry.")
final class ImagetoolsInspect implements Callable<Integer> {
  private static final long MAX_CONFIG = 16 * 1024 * 1024;

  @Parameters(index = "0", paramLabel = "NAME", description = "The image: NAME[:TAG|@DIGEST].")
  String name;

  @Option(names = "--raw", description = "Show the original, unformatted JSON manifest.")
  boolean raw;

  @Option(names = "--format", paramLabel = "TEMPLATE", description = "Format the output with a Go template:"
      + " {{.Field}}, {{json .Field}} or {{json (index .Field \"KEY\").Field}} over Name, Manifest, Image,"
      + " Provenance (per platform {\"SLSA\": …}) and SBOM (per platform {\"SPDX\": …}).")
  String format;

  /** Exit status for a template jbuild does not implement, apart from registry failures (1). */
  static final int UNSUPPORTED_TEMPLATE = 2;

  @picocli.CommandLine.Mixin RegistryCommands registrySettings = new RegistryCommands();

  @Override
  public Integer call() {
    GoTemplate template = null;
    if (format != null) {
      try {
        template = GoTemplate.parse(format);
      } catch (GoTemplate.Unsupported e) {
        System.err.println("ERROR: " + e.getMessage());
        return UNSUPPORTED_TEMPLATE;
      }
    }
    GoTemplate parsed = template;
    return RegistryCommands.reporting(() -> inspect(parsed));
  }

  private int inspect(GoTemplate template) throws UserError, RegistryException {
    if (raw && format != null) {
      throw new UserError("--format and --raw cannot be used together");
    }
    ImageReference ref = Outputs.reference(name, "invalid reference");
    try (RegistryClient registry = RegistryClient.create(registrySettings.load())) {
      FetchedManifest m = registry.fetchManifest(ref);
      PrintStream out = System.out;
      if (raw) {
        out.write(m.bytes(), 0, m.bytes().length);
        out.println();
      } else if (template != null) {
        out.println(template.render(model(registry, ref, m), field -> field(registry, ref, m, field)));
      } else {
        summary(ref, m, out);
      }
      out.flush();
      return 0;
    }
  }

  /** {@code .}: {"name", "manifest"} and, for {@code {{json .}}}, "image" too (Provenance and SBOM are methods in buildx). */
  private ObjectNode model(RegistryClient registry, ImageReference ref, FetchedManifest m) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("name", ref.toString());
    root.set("manifest", tree(m.bytes()));
    if (format != null && format.replace(" ", "").contains("json.}}")) {
      root.set("image", images(registry, ref, m));
    }
    return root;
  }

  /** The fields computed with more registry requests; null for the others. */
  private static JsonNode field(RegistryClient registry, ImageReference ref, FetchedManifest m, String name) {
    return switch (name) {
      case "Image" -> images(registry, ref, m);
      case "Provenance" -> InspectAttestations.read(registry, ref, m, InspectAttestations.Kind.PROVENANCE);
      case "SBOM" -> InspectAttestations.read(registry, ref, m, InspectAttestations.Kind.SBOM);
      default -> null;
    };
  }

  /** The image config, or for an index of several images a map from platform to config (buildx's {@code .Image}). */
  private static JsonNode images(RegistryClient registry, ImageReference ref, FetchedManifest m) {
    try {
      if (MediaTypes.isManifest(m.mediaType())) {
        return config(registry, ref, Manifest.parse(m.bytes()));
      }
      ObjectNode byPlatform = Json.MAPPER.createObjectNode();
      for (Descriptor d : ImageIndex.parse(m.bytes()).manifests()) {
        if (d.platform() == null || "unknown".equals(d.platform().os())) {
          continue; // attestation manifests carry no image
        }
        FetchedManifest child = registry.fetchManifest(ref.pinned(d.digestValue()));
        if (MediaTypes.isManifest(child.mediaType())) {
          byPlatform.set(platform(d), config(registry, ref, Manifest.parse(child.bytes())));
        }
      }
      // one image (with its attestations): its config itself, as buildx shows a one-platform image
      return byPlatform.size() == 1 ? byPlatform.elements().next() : byPlatform;
    } catch (RegistryException | InvalidDocumentException e) {
      throw new java.io.UncheckedIOException(new IOException(ref + ": " + e.getMessage(), e));
    }
  }

  private static JsonNode config(RegistryClient registry, ImageReference ref, Manifest m) throws RegistryException {
    return tree(registry.fetchBlobBytes(ref, m.config().digestValue(), MAX_CONFIG));
  }

  private static JsonNode tree(byte[] bytes) {
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** buildx's text summary. */
  private static void summary(ImageReference ref, FetchedManifest m, PrintStream out) throws UserError {
    out.printf("%-10s %s%n", "Name:", ref);
    out.printf("%-10s %s%n", "MediaType:", m.mediaType());
    out.printf("%-10s %s%n", "Digest:", m.digest());
    if (!MediaTypes.isIndex(m.mediaType())) {
      return;
    }
    ImageIndex index;
    try {
      index = ImageIndex.parse(m.bytes());
    } catch (InvalidDocumentException e) {
      throw new UserError(ref + ": " + e.getMessage());
    }
    if (!index.annotations().isEmpty()) {
      out.println();
      out.println("Annotations:");
      new java.util.TreeMap<>(index.annotations()).forEach((k, v) -> out.printf("  %s: %s%n", k, v));
    }
    out.println();
    out.println("Manifests:");
    String repo = ref.registry() + "/" + ref.repository();
    boolean first = true;
    for (Descriptor d : index.manifests()) {
      if (!first) {
        out.println();
      }
      first = false;
      out.printf("  %-10s %s%n", "Name:", repo + "@" + d.digest());
      out.printf("  %-10s %s%n", "MediaType:", d.mediaType());
      if (d.platform() != null) {
        out.printf("  %-10s %s%n", "Platform:", platform(d));
      }
      Map<String, String> a = new HashMap<>(d.annotations());
      if (!a.isEmpty()) {
        out.printf("  %s%n", "Annotations:");
        new java.util.TreeMap<>(a).forEach((k, v) -> out.printf("    %s: %s%n", k, v));
      }
    }
  }

  static String platform(Descriptor d) {
    String p = d.platform().os() + "/" + d.platform().architecture();
    return d.platform().variant() == null || d.platform().variant().isEmpty() ? p : p + "/" + d.platform().variant();
  }
}
