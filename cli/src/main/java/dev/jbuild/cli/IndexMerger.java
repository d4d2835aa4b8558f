package dev.jbuild.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.InvalidDocumentException;
import dev.jbuild.oci.Json;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.oci.PlatformSpec;
import dev.jbuild.platform.Platform;
import dev.jbuild.registry.BlobSource;
import dev.jbuild.registry.FetchedManifest;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.registry.RegistryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code imagetools create}'s core: the manifests of several images or indexes as one index (the
 * CI matrix merge), and copying what the index points at into the target repository when the
 * sources live elsewhere (cross-repository mounts on the same registry, else download and upload).
 */
final class IndexMerger {
  /** A source as found in its registry. */
  record Source(ImageReference ref, FetchedManifest manifest) {}

  private final RegistryClient registry;

  IndexMerger(RegistryClient registry) {
    this.registry = registry;
  }

  Source fetch(ImageReference ref) throws RegistryException {
    return new Source(ref, registry.fetchManifest(ref));
  }

  /** The merged index: entries in source order, each digest once; Docker list only if every source is Docker. */
  ImageIndex merge(List<Source> sources, Map<String, String> annotations) throws RegistryException, UserError {
    Map<String, Descriptor> entries = new LinkedHashMap<>();
    boolean allDocker = true;
    for (Source s : sources) {
      String type = s.manifest().mediaType();
      allDocker &= type.equals(MediaTypes.DOCKER_MANIFEST) || type.equals(MediaTypes.DOCKER_MANIFEST_LIST);
      if (MediaTypes.isIndex(type)) {
        for (Descriptor d : parseIndex(s).manifests()) {
          entries.putIfAbsent(d.digest(), d);
        }
      } else if (MediaTypes.isManifest(type)) {
        Descriptor d = new Descriptor(type, s.manifest().digest().toString(), s.manifest().bytes().length, Map.of(),
            platformOf(s));
        entries.putIfAbsent(d.digest(), d);
      } else {
        throw new UserError(s.ref() + " is a " + type + ", not an image or an image index");
      }
    }
    String indexType = allDocker && annotations.isEmpty() ? MediaTypes.DOCKER_MANIFEST_LIST : MediaTypes.OCI_INDEX;
    return new ImageIndex(2, indexType, new ArrayList<>(entries.values()), annotations);
  }

  /** Makes every manifest of {@code index} (and its blobs) available in {@code target}'s repository. */
  void copyInto(ImageReference target, ImageIndex index, List<Source> sources, Path scratch)
      throws RegistryException, UserError {
    for (Descriptor d : index.manifests()) {
      Source from = owner(d, sources);
      if (from.ref().registry().equals(target.registry()) && from.ref().repository().equals(target.repository())) {
        continue; // already there
      }
      ImageReference src = from.ref().pinned(d.digestValue());
      FetchedManifest m = registry.fetchManifest(src);
      if (MediaTypes.isManifest(m.mediaType())) {
        Manifest parsed = parseManifest(src, m);
        List<Descriptor> blobs = new ArrayList<>(parsed.layers());
        blobs.add(parsed.config());
        for (Descriptor b : blobs) {
          copyBlob(src, target, b, scratch);
        }
      }
      registry.pushManifest(target, m.digest().toString(), m.bytes(), m.mediaType());
    }
  }

  /** On the same registry a cross-repository mount copies nothing; otherwise (or if refused) download, then upload. */
  private void copyBlob(ImageReference src, ImageReference target, Descriptor b, Path scratch) throws RegistryException {
    Digest digest = b.digestValue();
    Path file = scratch.resolve(digest.hex());
    BlobSource downloaded = () -> {
      if (!Files.exists(file)) {
        try {
          registry.fetchBlob(src, digest, file);
        } catch (RegistryException e) {
          throw new IOException("cannot download " + digest + " from " + src + ": " + e.getMessage(), e);
        }
      }
      return Files.newInputStream(file);
    };
    Optional<ImageReference> mount = src.registry().equals(target.registry()) ? Optional.of(src) : Optional.empty();
    registry.pushBlob(target, digest, b.size(), downloaded, mount);
  }

  private static Source owner(Descriptor d, List<Source> sources) throws RegistryException {
    for (Source s : sources) {
      if (s.manifest().digest().toString().equals(d.digest())) {
        return s;
      }
      if (MediaTypes.isIndex(s.manifest().mediaType())
          && parseIndex(s).manifests().stream().anyMatch(x -> x.digest().equals(d.digest()))) {
        return s;
      }
    }
    throw new IllegalStateException("no source holds " + d.digest());
  }

  /** A manifest's platform, from its image config (os, architecture, variant). */
  private PlatformSpec platformOf(Source s) throws RegistryException {
    Manifest m = parseManifest(s.ref(), s.manifest());
    byte[] config = registry.fetchBlobBytes(s.ref(), m.config().digestValue(), 16 * 1024 * 1024);
    try {
      JsonNode c = Json.MAPPER.readTree(config);
      String os = c.path("os").asText("");
      String arch = c.path("architecture").asText("");
      String variant = c.path("variant").asText("");
      try {
        return PlatformSpec.of(Platform.normalise(os, arch, variant)); // arm64 gets "v8", as in jbuild's own indexes
      } catch (IllegalArgumentException unknown) {
        return new PlatformSpec(arch, os, variant.isEmpty() ? null : variant);
      }
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.PROTOCOL, "the config of " + s.ref() + " is not JSON: " + e.getMessage());
    }
  }

  private static ImageIndex parseIndex(Source s) throws RegistryException {
    try {
      return ImageIndex.parse(s.manifest().bytes());
    } catch (InvalidDocumentException e) {
      throw new RegistryException(RegistryException.Kind.PROTOCOL, s.ref() + ": " + e.getMessage());
    }
  }

  private static Manifest parseManifest(ImageReference ref, FetchedManifest m) throws RegistryException {
    try {
      return Manifest.parse(m.bytes());
    } catch (InvalidDocumentException e) {
      throw new RegistryException(RegistryException.Kind.PROTOCOL, ref + ": " + e.getMessage());
    }
  }
}
