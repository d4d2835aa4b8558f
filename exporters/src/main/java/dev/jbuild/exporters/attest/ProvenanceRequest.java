package dev.jbuild.exporters.attest;

import dev.jbuild.oci.Digest;
import dev.jbuild.platform.Platform;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a provenance statement says about a build, gathered by the caller (which knows the
 * frontend and the build graph; the exporters do not).
 *
 * @param frontendArgs the frontend's options as buildx records them ({@code build-arg:NAME},
 *     {@code target}, {@code filename}, {@code label:NAME}, …)
 * @param materials per platform: the images and downloads the build read, with digests
 * @param git the build context's checkout, when it is one
 * @param dockerfile the Dockerfile's text (mode=max only)
 * @param steps per platform, the build steps in order (mode=max only)
 */
public record ProvenanceRequest(Mode mode, String builderId, Map<String, String> frontendArgs,
    Map<Platform, List<Material>> materials, Optional<GitSource> git, Optional<String> dockerfile,
    Map<Platform, List<String>> steps, Instant startedOn, Instant finishedOn, List<String> names) {
  public ProvenanceRequest {
    frontendArgs = Map.copyOf(frontendArgs);
    materials = Map.copyOf(materials);
    steps = Map.copyOf(steps);
    names = List.copyOf(names);
  }

  /** {@code --provenance=mode=min|max}. */
  public enum Mode {
    MIN, MAX;

    public static Mode parse(String s) {
      return switch (s) {
        case "min" -> MIN;
        case "max" -> MAX;
        default -> throw new IllegalArgumentException("mode=" + s + ": expected min or max");
      };
    }
  }

  /** Something the build read: {@code pkg:docker/…} image or an {@code https://…} download. */
  public record Material(String uri, Digest digest) {}

  /** A git checkout: its commit, the remote it came from (may be empty) and whether files were modified. */
  public record GitSource(String commit, String remote, boolean dirty) {}
}
