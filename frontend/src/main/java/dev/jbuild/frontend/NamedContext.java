package dev.jbuild.frontend;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code --build-context name=VALUE}: what {@code FROM name}, {@code COPY --from=name} and
 * {@code RUN --mount=from=name} use instead of a stage or image of that name (BuildKit's named
 * contexts). A stage of the same name is replaced too.
 */
public sealed interface NamedContext {
  /** A local directory, used as a filesystem with an empty config. */
  record LocalDir(Path dir) implements NamedContext {}

  /**
   * An image, resolved for each platform like a FROM image.
   *
   * @param reference a registry reference ({@code docker-image://} stripped), or
   *     {@code oci-layout://PATH[:TAG|@DIGEST]} as written, which the resolver reads from disk
   */
  record Image(String reference) implements NamedContext {}

  /**
   * Parses the value of {@code --build-context name=VALUE}.
   *
   * @param base the directory relative local paths are resolved against
   * @throws IllegalArgumentException with a message for the user
   */
  static NamedContext parse(String value, Path base) {
    if (value.startsWith("docker-image://")) {
      String ref = value.substring("docker-image://".length());
      if (ref.isBlank()) {
        throw new IllegalArgumentException("docker-image:// needs an image reference");
      }
      return new Image(ref);
    }
    if (value.startsWith("oci-layout://")) {
      if (value.length() == "oci-layout://".length()) {
        throw new IllegalArgumentException("oci-layout:// needs the path of an OCI image layout");
      }
      return new Image(value);
    }
    if (value.startsWith("target:")) {
      throw new IllegalArgumentException("target: contexts are not supported by jbuild yet (use a stage name in the Dockerfile)");
    }
    if (value.matches("[a-z][a-z0-9+.-]*://.*") || value.startsWith("git@")) {
      throw new IllegalArgumentException("this context source is not supported by jbuild yet"
          + " (supported: a directory, docker-image://REF, oci-layout://PATH)");
    }
    Path dir = base.resolve(value).toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("the directory " + value + " does not exist");
    }
    return new LocalDir(dir);
  }
}
