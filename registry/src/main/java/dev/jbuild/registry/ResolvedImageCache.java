package dev.jbuild.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.InvalidDocumentException;
import dev.jbuild.oci.Json;
import dev.jbuild.oci.Manifest;
import dev.jbuild.platform.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Optional;

/**
 * Remembers what a reference resolved to for a platform (manifest and config, exact bytes), so a
 * rebuild does not ask the registry again — like {@code docker build} using its local image until
 * {@code --pull}. Entries are written atomically and checked on read (the manifest must hash to
 * its digest and name the config); a damaged entry counts as absent.
 */
public final class ResolvedImageCache {
  private final Path dir;

  public ResolvedImageCache(Path dir) {
    this.dir = dir;
  }

  Optional<ResolvedImage> get(ImageReference ref, Platform platform) {
    Path file = fileFor(ref, platform);
    try {
      JsonNode n = dev.jbuild.oci.JsonTrees.parse(Files.readAllBytes(file));
      if (n == null) {
        return Optional.empty();
      }
      Base64.Decoder b64 = Base64.getDecoder();
      byte[] manifestBytes = b64.decode(n.path("manifest").asText());
      byte[] configBytes = b64.decode(n.path("config").asText());
      Digest digest = Digest.sha256(manifestBytes);
      if (!n.path("reference").asText().equals(ref.toString()) || !n.path("platform").asText().equals(platform.toString())
          || !digest.toString().equals(n.path("digest").asText())) {
        return Optional.empty();
      }
      Manifest manifest = Manifest.parse(manifestBytes);
      if (!manifest.config().digestValue().equals(Digest.sha256(configBytes))) {
        return Optional.empty();
      }
      FetchedManifest fetched = new FetchedManifest(manifestBytes, n.path("mediaType").asText(), digest);
      return Optional.of(new ResolvedImage(ref.pinned(digest), digest, fetched, manifest, configBytes,
          ImageConfig.parse(configBytes)));
    } catch (IOException | InvalidDocumentException | IllegalArgumentException e) {
      return Optional.empty(); // absent or damaged: resolve again
    }
  }

  void put(ImageReference ref, Platform platform, ResolvedImage image) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("reference", ref.toString());
    n.put("platform", platform.toString());
    n.put("digest", image.manifestDigest().toString());
    n.put("mediaType", image.manifest().mediaType());
    n.put("manifest", Base64.getEncoder().encodeToString(image.manifest().bytes()));
    n.put("config", Base64.getEncoder().encodeToString(image.configBytes()));
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".resolved", ".tmp");
      try {
        Files.write(tmp, Json.write(n));
        Files.move(tmp, fileFor(ref, platform), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException ignored) {
      // a cache that cannot be written only costs a registry round trip next time
    }
  }

  private Path fileFor(ImageReference ref, Platform platform) {
    String key = ref + " " + platform;
    return dir.resolve(Digest.sha256(key.getBytes(StandardCharsets.UTF_8)).hex() + ".json");
  }
}
