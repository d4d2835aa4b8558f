package dev.jbuild.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code type=local}: a cache export as an OCI image layout directory (as BuildKit's local cache
 * is), {@code index.json} naming the cache manifest by the tag {@code latest} unless another is
 * given. Files are written atomically; an export into a directory that already holds one adds to
 * its blobs and replaces its manifest.
 */
public final class LocalCacheDir implements CacheTarget {
  private final Path dir;
  private final String tag;
  private final String description;

  public LocalCacheDir(Path dir, String tag, String description) {
    this.dir = dir.toAbsolutePath();
    this.tag = tag;
    this.description = description;
  }

  @Override
  public String describe() {
    return description;
  }

  private Path blob(Digest d) {
    return dir.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
  }

  @Override
  public boolean hasBlob(Digest digest) {
    return Files.isRegularFile(blob(digest));
  }

  @Override
  public void putBlob(Digest digest, long size, String mediaType, ContentStore from) throws IOException {
    Path dest = blob(digest);
    Files.createDirectories(dest.getParent());
    Path tmp = AtomicFiles.tempFile(dest.getParent(), "blob");
    try {
      try (InputStream in = from.open(digest)) {
        Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      AtomicFiles.commit(tmp, dest);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public InputStream openBlob(Digest digest) throws IOException {
    try {
      return Files.newInputStream(blob(digest));
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(description + ": blob " + digest + " is missing");
    }
  }

  @Override
  public void putManifest(byte[] manifest) throws IOException {
    Digest d = Digest.sha256(manifest);
    Files.createDirectories(blob(d).getParent());
    AtomicFiles.write(blob(d).getParent(), blob(d), manifest);
    AtomicFiles.write(dir, dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    ObjectNode index = CacheJson.MAPPER.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", "application/vnd.oci.image.index.v1+json");
    ObjectNode m = index.putArray("manifests").addObject();
    m.put("mediaType", CacheExchange.MANIFEST_TYPE);
    m.put("artifactType", CacheExchange.ARTIFACT_TYPE);
    m.put("digest", d.toString());
    m.put("size", manifest.length);
    m.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
    AtomicFiles.write(dir, dir.resolve("index.json"), CacheJson.MAPPER.writeValueAsBytes(index));
  }

  @Override
  public Optional<byte[]> manifest() throws IOException {
    Path indexFile = dir.resolve("index.json");
    if (!Files.isRegularFile(indexFile)) {
      return Optional.empty();
    }
    JsonNode index = CacheJson.MAPPER.readTree(indexFile.toFile());
    for (JsonNode m : index.path("manifests")) {
      if (tag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
        Digest d;
        try {
          d = Digest.parse(m.path("digest").asText());
        } catch (IllegalArgumentException e) {
          throw new CorruptContentException(description + ": index.json names no valid digest for " + tag);
        }
        byte[] bytes;
        try (InputStream in = openBlob(d)) {
          bytes = in.readAllBytes();
        }
        if (!Digest.sha256(bytes).equals(d)) {
          throw new CorruptContentException(description + ": the cache manifest does not match its digest " + d);
        }
        return Optional.of(bytes);
      }
    }
    return Optional.empty();
  }
}
