package dev.jbuild.cli;

import dev.jbuild.exporters.Annotations;
import dev.jbuild.exporters.Compression;
import dev.jbuild.exporters.DockerArchiveExporter;
import dev.jbuild.exporters.Exporter;
import dev.jbuild.exporters.ImageFormat;
import dev.jbuild.exporters.OciLayoutExporter;
import dev.jbuild.exporters.RegistryExporter;
import dev.jbuild.exporters.RootfsExporter;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The {@code --output}/{@code --push}/{@code -t}/{@code --annotation} options turned into
 * exporters, as buildx reads them: {@code --push} is {@code -o type=registry}, which is
 * {@code -o type=image,push=true}. Everything is validated before the build starts (so misuse
 * fails fast); exporters are made once the registry client exists.
 */
final class Outputs {
  private static final Set<String> IMAGE_FORMAT_KEYS = Set.of("compression", "compression-level",
      "force-compression", "oci-mediatypes", "rewrite-timestamp");
  /** Accepted for compatibility with buildx command lines; they have no effect in jbuild. */
  private static final Set<String> IGNORED_KEYS = Set.of("store", "unpack", "dangling-name-prefix", "buildinfo",
      "buildinfo-attrs", "attestation-prefix");

  /** One output, checked. */
  private record Planned(OutputSpec spec, List<ImageReference> names, ImageFormat format) {}

  private final List<Planned> planned;
  private final Optional<Instant> sourceDateEpoch;

  private Outputs(List<Planned> planned, Optional<Instant> sourceDateEpoch) {
    this.planned = List.copyOf(planned);
    this.sourceDateEpoch = sourceDateEpoch;
  }

  /** Parses and checks the options; nothing is written yet. */
  static Outputs parse(List<String> outputs, boolean push, List<String> tags, List<String> annotationFlags,
                       Optional<Instant> sourceDateEpoch) throws UserError {
    List<ImageReference> tagRefs = new ArrayList<>();
    for (String tag : tags) {
      tagRefs.add(reference(tag, "invalid tag")); // reject a bad -t before doing any work
    }
    Annotations flagAnnotations;
    try {
      flagAnnotations = Annotations.parseFlags(annotationFlags);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    List<OutputSpec> specs = new ArrayList<>();
    for (String o : outputs) {
      try {
        specs.add(OutputSpec.parse(o));
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      }
    }
    if (push) {
      // --push turns an image output into a pushing one, or adds one (buildx's shorthand)
      int image = -1;
      for (int i = 0; i < specs.size(); i++) {
        if (specs.get(i).type().equals("image")) {
          image = i;
        }
      }
      if (image >= 0) {
        specs.set(image, specs.get(image).with("push", "true"));
      } else if (specs.stream().noneMatch(s -> s.type().equals("registry"))) {
        specs.add(new OutputSpec("registry", java.util.Map.of()));
      }
    }
    List<Planned> planned = new ArrayList<>();
    for (OutputSpec o : specs) {
      try {
        planned.add(plan(o, tagRefs, flagAnnotations, sourceDateEpoch));
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      }
    }
    return new Outputs(planned, sourceDateEpoch);
  }

  private static Planned plan(OutputSpec o, List<ImageReference> tags, Annotations flagAnnotations,
                              Optional<Instant> epoch) throws UserError {
    String where = "--output type=" + o.type();
    Set<String> allowed = new LinkedHashSet<>();
    switch (o.type()) {
      case "registry", "image" -> {
        allowed.addAll(List.of("name", "push", "push-by-digest", "name-canonical", "registry.insecure"));
        allowed.addAll(IMAGE_FORMAT_KEYS);
      }
      case "oci", "docker" -> {
        allowed.addAll(List.of("dest", "name", "tar"));
        allowed.addAll(IMAGE_FORMAT_KEYS);
      }
      case "local", "tar" -> allowed.addAll(List.of("dest", "platform-split"));
      default -> throw new UserError(where + " is not supported by jbuild yet (supported: registry, image, oci, docker, local, tar)");
    }
    for (String k : o.attrs().keySet()) {
      boolean annotation = k.startsWith("annotation") && !o.type().equals("local") && !o.type().equals("tar");
      if (!allowed.contains(k) && !IGNORED_KEYS.contains(k) && !annotation) {
        throw new UserError(where + ": unknown attribute \"" + k + "\" (known: " + String.join(", ", allowed) + ")");
      }
    }
    boolean file = List.of("oci", "docker", "local", "tar").contains(o.type());
    if (file && !o.attrs().containsKey("dest")) {
      if (o.type().equals("docker")) {
        throw new UserError(where + " needs dest=FILE.tar: jbuild has no Docker daemon to load into"
            + " (then run: docker load -i FILE.tar)");
      }
      throw new UserError(where + " needs dest=" + (o.type().equals("local") ? "DIR" : "FILE.tar"));
    }
    if (o.type().equals("docker") && !o.flag("tar", true)) {
      throw new UserError(where + ": tar=false is only supported by type=oci");
    }
    List<ImageReference> names = new ArrayList<>();
    if (o.attrs().containsKey("name")) {
      for (String n : o.attrs().get("name").split(",")) {
        if (!n.isBlank()) {
          names.add(reference(n.trim(), where + ": invalid image name"));
        }
      }
    } else {
      names.addAll(tags);
    }
    boolean pushes = o.type().equals("registry") || (o.type().equals("image") && o.flag("push"));
    if (pushes && names.isEmpty()) {
      throw new UserError("pushing needs an image name: add -t/--tag NAME (or name= in --output)");
    }
    if ((o.flag("push-by-digest") || o.flag("name-canonical")) && !pushes) {
      throw new UserError(where + ": push-by-digest and name-canonical need push=true");
    }
    if (o.flag("rewrite-timestamp") && epoch.isEmpty()) {
      throw new UserError(where + ": rewrite-timestamp=true needs SOURCE_DATE_EPOCH in the environment"
          + " (jbuild clamps file and image times to it)");
    }
    ImageFormat format = ImageFormat.DEFAULT;
    if (!file || o.type().equals("oci") || o.type().equals("docker")) {
      format = format(o, flagAnnotations.plus(Annotations.fromAttributes(o.attrs(), where)), where);
    }
    return new Planned(o, names, format);
  }

  private static ImageFormat format(OutputSpec o, Annotations annotations, String where) {
    Compression compression = Compression.GZIP;
    if (o.attrs().containsKey("compression")) {
      try {
        compression = Compression.parse(o.attrs().get("compression"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
    }
    OptionalInt level = OptionalInt.empty();
    String l = o.attrs().get("compression-level");
    if (l != null) {
      try {
        level = OptionalInt.of(Integer.parseInt(l));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(where + ": compression-level=" + l + " is not a number");
      }
    }
    // buildx: docker archives default to Docker media types, everything else to OCI
    boolean oci = o.flag("oci-mediatypes", !o.type().equals("docker"));
    try {
      return new ImageFormat(compression, level, o.flag("force-compression"), oci, annotations);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  boolean isEmpty() {
    return planned.isEmpty();
  }

  /**
   * Whether an output carries attestations inside the image (a push, an OCI layout or archive with
   * OCI media types): where buildx's default provenance goes. Docker archives and {@code --load}
   * (a classic image store) and local/tar file trees do not.
   */
  boolean takesInlineAttestations() {
    return planned.stream().anyMatch(p -> p.format().ociMediaTypes() && switch (p.spec().type()) {
      case "oci", "registry" -> true;
      case "image" -> p.spec().flag("push");
      default -> false;
    });
  }

  /** Registries that {@code registry.insecure=true} outputs push to: reached over HTTP or any TLS certificate. */
  Set<String> insecureRegistries() {
    Set<String> hosts = new LinkedHashSet<>();
    for (Planned p : planned) {
      if (p.spec().flag("registry.insecure")) {
        p.names().forEach(n -> hosts.add(n.registry()));
      }
    }
    return hosts;
  }

  List<Exporter> exporters(RegistryClient registry) {
    List<Exporter> exporters = new ArrayList<>();
    for (Planned p : planned) {
      OutputSpec o = p.spec();
      Optional<Path> dest = Optional.ofNullable(o.attrs().get("dest")).map(Path::of);
      switch (o.type()) {
        case "oci" -> exporters.add(new OciLayoutExporter(dest.orElseThrow(), o.flag("tar", true),
            p.names().stream().map(Outputs::withTag).toList(), p.format(), sourceDateEpoch));
        case "docker" -> exporters.add(new DockerArchiveExporter(dest.orElseThrow(), p.names(), p.format(),
            sourceDateEpoch));
        case "local" -> exporters.add(new RootfsExporter(dest.orElseThrow(), RootfsExporter.Kind.LOCAL,
            o.flag("platform-split", true), new NativeLayerTars()));
        case "tar" -> exporters.add(new RootfsExporter(dest.orElseThrow(), RootfsExporter.Kind.TAR,
            o.flag("platform-split", true), new NativeLayerTars()));
        default -> {
          if (o.type().equals("registry") || o.flag("push")) {
            exporters.add(new RegistryExporter(registry, p.names(), p.format(), o.flag("push-by-digest"),
                o.flag("name-canonical")));
          }
        }
      }
    }
    return exporters;
  }

  private static String withTag(ImageReference r) {
    return r.tag().isPresent() || r.digest().isPresent() ? r.toString() : r.withTag(ImageReference.DEFAULT_TAG).toString();
  }

  static ImageReference reference(String name, String where) throws UserError {
    try {
      return ImageReference.parse(name);
    } catch (IllegalArgumentException e) {
      throw new UserError(where + " \"" + name + "\": " + e.getMessage());
    }
  }
}
