package dev.jbuild.registry;

import dev.jbuild.oci.Digest;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A docker-style image reference, normalised the way the docker CLI does: {@code busybox} is
 * {@code docker.io/library/busybox:latest}, {@code 127.0.0.1:5000/x/y:1@sha256:…} keeps its
 * registry, tag and digest.
 *
 * @param registry   {@code host[:port]}; Docker Hub is always {@code docker.io}
 * @param repository the path inside the registry, e.g. {@code library/busybox}
 * @param tag        absent only when a digest pins the reference
 * @param digest     the manifest digest, when pinned
 */
public record ImageReference(String registry, String repository, Optional<String> tag, Optional<Digest> digest) {

  /** Docker Hub's name in references; its API lives on {@link #DOCKER_HUB_ENDPOINT}. */
  public static final String DOCKER_HUB = "docker.io";
  static final String DOCKER_HUB_ENDPOINT = "registry-1.docker.io";
  public static final String DEFAULT_TAG = "latest";

  // The grammar of github.com/distribution/reference, written out for Java regexes.
  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern DOMAIN = Pattern.compile(
      "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
          + "|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final int MAX_NAME_LENGTH = 255;

  public ImageReference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
    if (registry.isEmpty() || repository.isEmpty()) {
      throw new IllegalArgumentException("invalid reference format: empty registry or repository");
    }
  }

  /**
   * Parses a reference as {@code docker pull} does. A reference without tag or digest gets the
   * tag {@code latest}.
   *
   * @throws IllegalArgumentException "invalid reference format…" naming what is wrong
   */
  public static ImageReference parse(String s) {
    if (s == null || s.isEmpty()) {
      throw invalid(s, "empty reference");
    }
    String rest = s;
    Optional<Digest> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      String d = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!d.matches("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")) {
        throw invalid(s, "bad digest \"" + d + "\"");
      }
      try {
        digest = Optional.of(Digest.parse(d));
      } catch (IllegalArgumentException e) {
        throw invalid(s, e.getMessage());
      }
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      String t = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(t).matches()) {
        throw invalid(s, "bad tag \"" + t + "\"");
      }
      tag = Optional.of(t);
    }
    if (rest.isEmpty()) {
      throw invalid(s, "missing repository name");
    }
    String registry;
    String path;
    int slash = rest.indexOf('/');
    String first = slash < 0 ? rest : rest.substring(0, slash);
    // Docker's rule: the first component is a registry when it looks like a host name.
    boolean firstIsRegistry = slash >= 0
        && (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase()));
    if (firstIsRegistry) {
      registry = first;
      path = rest.substring(slash + 1);
      if (!DOMAIN.matcher(registry).matches()) {
        throw invalid(s, "bad registry host \"" + registry + "\"");
      }
    } else {
      registry = DOCKER_HUB;
      path = rest;
    }
    if (registry.equals("index.docker.io") || registry.equals(DOCKER_HUB_ENDPOINT)) {
      registry = DOCKER_HUB;
    }
    if (!path.equals(path.toLowerCase())) {
      throw invalid(s, "repository name must be lowercase");
    }
    for (String component : path.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        throw invalid(s, component.isEmpty() ? "empty path component" : "bad path component \"" + component + "\"");
      }
    }
    if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
      path = "library/" + path;
    }
    if (registry.length() + 1 + path.length() > MAX_NAME_LENGTH) {
      throw invalid(s, "repository name longer than " + MAX_NAME_LENGTH + " characters");
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of(DEFAULT_TAG);
    }
    return new ImageReference(registry, path, tag, digest);
  }

  private static IllegalArgumentException invalid(String s, String why) {
    return new IllegalArgumentException("invalid reference format: \"" + s + "\": " + why);
  }

  /** The same repository with this tag (the digest, if any, is kept). */
  public ImageReference withTag(String t) {
    if (!TAG.matcher(t).matches()) {
      throw new IllegalArgumentException("invalid reference format: bad tag \"" + t + "\"");
    }
    return new ImageReference(registry, repository, Optional.of(t), digest);
  }

  /** The same repository pinned to a digest (the tag, if any, is kept for display). */
  public ImageReference withDigest(Digest d) {
    return new ImageReference(registry, repository, tag, Optional.of(d));
  }

  /** {@code repository@digest}: the pinned form without tag. */
  public ImageReference pinned(Digest d) {
    return new ImageReference(registry, repository, Optional.empty(), Optional.of(d));
  }

  /** {@code registry/repository}, e.g. {@code docker.io/library/busybox}. */
  public String repositoryName() {
    return registry + "/" + repository;
  }

  /** What a manifest request asks for: the digest when pinned, else the tag. */
  String manifestSelector() {
    return digest.map(Digest::toString).orElse(tag.orElse(DEFAULT_TAG));
  }

  /** The host the registry API answers on (Docker Hub's differs from its name). */
  String endpointHost() {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_ENDPOINT : registry;
  }

  /** Same repository on another registry host (used for mirrors). */
  ImageReference onRegistry(String host) {
    return new ImageReference(host, repository, tag, digest);
  }

  /** The full form: {@code 127.0.0.1:5000/hello:latest}, {@code docker.io/library/busybox@sha256:…}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(repositoryName());
    tag.ifPresent(t -> b.append(':').append(t));
    digest.ifPresent(d -> b.append('@').append(d));
    return b.toString();
  }
}
