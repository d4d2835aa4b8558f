package dev.jbuild.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.jbuild.cache.ByteSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The automatic bound on the store, from the config file's {@code [worker.oci]} table as in
 * buildkitd.toml: {@code gc = false} turns it off; {@code gckeepstorage} is a size ("10GB") or, as
 * BuildKit reads a number, megabytes. Default: 10% of the store's file system, at most 20GB.
 */
record GcSettings(boolean enabled, long keepStorage) {
  static final long DEFAULT_CAP = 20_000_000_000L;

  static GcSettings load(Optional<Path> configFile, Path storeRoot) throws UserError {
    boolean enabled = true;
    Optional<Long> keep = Optional.empty();
    if (configFile.isPresent()) {
      JsonNode oci;
      try {
        oci = new TomlMapper().readTree(Files.readAllBytes(configFile.get())).path("worker").path("oci");
      } catch (IOException e) {
        throw new UserError("cannot read the config file " + configFile.get() + ": " + e.getMessage(), e);
      }
      if (oci.has("gc")) {
        if (!oci.get("gc").isBoolean()) {
          throw new UserError(configFile.get() + ": [worker.oci] gc must be true or false");
        }
        enabled = oci.get("gc").asBoolean();
      }
      JsonNode k = oci.path("gckeepstorage");
      if (k.isNumber()) {
        keep = Optional.of(k.asLong() * 1_000_000L);
      } else if (k.isTextual()) {
        try {
          keep = Optional.of(ByteSize.parse(k.asText()));
        } catch (IllegalArgumentException e) {
          throw new UserError(configFile.get() + ": [worker.oci] gckeepstorage: " + e.getMessage());
        }
      } else if (!k.isMissingNode()) {
        throw new UserError(configFile.get() + ": [worker.oci] gckeepstorage must be a size such as \"10GB\"");
      }
    }
    return new GcSettings(enabled, keep.isPresent() ? keep.get() : defaultBound(storeRoot));
  }

  private static long defaultBound(Path storeRoot) {
    try {
      Files.createDirectories(storeRoot);
      return Math.min(DEFAULT_CAP, Files.getFileStore(storeRoot).getTotalSpace() / 10);
    } catch (IOException e) {
      return DEFAULT_CAP;
    }
  }
}
