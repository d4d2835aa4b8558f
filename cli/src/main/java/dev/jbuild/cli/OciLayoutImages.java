package dev.jbuild.cli;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.InvalidDocumentException;
import dev.jbuild.oci.Manifest;
import dev.jbuild.platform.Platform;
import dev.jbuild.registry.FetchedManifest;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryException;
import dev.jbuild.registry.ResolvedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Images of {@code --build-context name=oci-layout://PATH[:TAG|@DIGEST]}: read from a local OCI
 * image layout, the platform's manifest picked from its index, and its blobs put in the store so
 * the solver never has to pull them.
 */
final class OciLayoutImages {
  static final String SCHEME = "oci-layout://";
  private static final String REF_NAME = "org.opencontainers.image.ref.name";

  private final ContentStore content;

  OciLayoutImages(ContentStore content) {
    this.content = content;
  }

  ResolvedImage resolve(String spec, Platform platform) throws RegistryException {
    String rest = spec.substring(SCHEME.length());
    Optional<String> digest = Optional.empty();
    Optional<String> tag = Optional.empty();
    int at = rest.lastIndexOf('@');
    int colon = rest.lastIndexOf(':');
    if (at > 0) {
      digest = Optional.of(rest.substring(at + 1));
      rest = rest.substring(0, at);
    } else if (colon > rest.lastIndexOf('/')) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
    }
    Path layout = Path.of(rest).toAbsolutePath().normalize();
    try {
      if (!Files.isRegularFile(layout.resolve("index.json"))) {
        throw new RegistryException(spec + ": " + layout + " is not an OCI image layout (no index.json)");
      }
      ImageIndex top = ImageIndex.parse(Files.readAllBytes(layout.resolve("index.json")));
      Descriptor chosen = pick(spec, top.manifests(), tag, digest);
      byte[] bytes = blob(layout, chosen.digestValue());
      if (isIndex(chosen.mediaType(), bytes)) {
        ImageIndex index = ImageIndex.parse(bytes);
        chosen = index.manifests().stream().filter(d -> d.platform() != null && Platform.normalise(
                d.platform().os(), d.platform().architecture(), d.platform().variant()).equals(platform))
            .findFirst().orElseThrow(() -> new RegistryException(spec + " has no " + platform + " image"));
        bytes = blob(layout, chosen.digestValue());
      }
      Manifest manifest = Manifest.parse(bytes);
      byte[] configBytes = blob(layout, manifest.config().digestValue());
      ImageConfig config = ImageConfig.parse(configBytes);
      for (Descriptor l : manifest.layers()) {
        if (!content.has(l.digestValue())) {
          try (InputStream in = Files.newInputStream(blobPath(layout, l.digestValue()))) {
            content.put(in, l.digestValue());
          }
        }
      }
      Digest manifestDigest = chosen.digestValue();
      // a stable name for the layout's image: the pinned digest is what keys the cache
      ImageReference ref = ImageReference.parse("oci-layout.invalid/" + sanitize(layout.getFileName() == null ? "layout"
          : layout.getFileName().toString())).pinned(manifestDigest);
      return new ResolvedImage(ref, manifestDigest, new FetchedManifest(bytes, chosen.mediaType(), manifestDigest),
          manifest, configBytes, config);
    } catch (InvalidDocumentException | IllegalArgumentException e) {
      throw new RegistryException(spec + ": invalid OCI layout: " + e.getMessage());
    } catch (IOException e) {
      throw new RegistryException(spec + ": cannot read the OCI layout: " + e.getMessage());
    }
  }

  private static Descriptor pick(String spec, List<Descriptor> entries, Optional<String> tag, Optional<String> digest)
      throws RegistryException {
    for (Descriptor d : entries) {
      if (digest.map(x -> x.equals(d.digest())).orElse(true)
          && tag.map(t -> t.equals(d.annotations().get(REF_NAME))).orElse(true)) {
        return d;
      }
    }
    if (tag.isEmpty() && digest.isEmpty() && entries.size() == 1) {
      return entries.get(0);
    }
    throw new RegistryException(spec + ": no image " + tag.or(() -> digest).orElse("(the layout holds "
        + entries.size() + "; name one with :TAG or @DIGEST)") + " in the layout");
  }

  private static boolean isIndex(String mediaType, byte[] bytes) {
    return (mediaType != null && mediaType.contains("index")) || (mediaType != null && mediaType.contains("manifest.list"));
  }

  private static Path blobPath(Path layout, Digest d) {
    return layout.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
  }

  private static byte[] blob(Path layout, Digest d) throws IOException, RegistryException {
    byte[] b = Files.readAllBytes(blobPath(layout, d));
    if (!Digest.sha256(b).equals(d)) {
      throw new RegistryException("blob " + d + " of the OCI layout " + layout + " does not match its digest");
    }
    return b;
  }

  private static String sanitize(String s) {
    String clean = s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    return clean.isEmpty() ? "layout" : clean;
  }
}
