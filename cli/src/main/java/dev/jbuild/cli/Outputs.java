package dev.jbuild.cli;

import dev.jbuild.exporters.Exporter;
import dev.jbuild.exporters.OciArchiveExporter;
import dev.jbuild.exporters.RegistryExporter;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code --output}/{@code --push}/{@code -t} options turned into exporters: validated before
 * the build starts (so misuse fails fast), instantiated once the registry client exists.
 */
final class Outputs {
  private final List<OutputSpec> specs;
  private final List<String> tags;

  private Outputs(List<OutputSpec> specs, List<String> tags) {
    this.specs = List.copyOf(specs);
    this.tags = List.copyOf(tags);
  }

  /** Parses and checks the options; nothing is written yet. */
  static Outputs parse(List<String> outputs, boolean push, List<String> tags) throws UserError {
    for (String tag : tags) {
      reference(tag); // reject a bad -t before doing any work
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
      specs.add(new OutputSpec("image", Map.of("push", "true")));
    }
    Outputs result = new Outputs(specs, tags);
    for (OutputSpec o : specs) {
      switch (o.type()) {
        case "registry", "image", "oci" -> { }
        default -> throw new UserError("--output type=" + o.type() + " is not supported by jbuild yet (supported: registry, image, oci)");
      }
      if (o.type().equals("oci") && !o.attrs().containsKey("dest")) {
        throw new UserError("--output type=oci needs dest=FILE.tar");
      }
      if ((o.type().equals("registry") || (o.type().equals("image") && o.flag("push"))) && result.imageNames(o).isEmpty()) {
        throw new UserError("pushing needs an image name: add -t/--tag NAME (or name= in --output)");
      }
    }
    return result;
  }

  boolean isEmpty() {
    return specs.isEmpty();
  }

  List<Exporter> exporters(RegistryClient registry, Optional<Instant> sourceDateEpoch) throws UserError {
    List<Exporter> exporters = new ArrayList<>();
    for (OutputSpec o : specs) {
      List<String> names = imageNames(o);
      if (o.type().equals("oci")) {
        exporters.add(new OciArchiveExporter(Path.of(o.attrs().get("dest")), normalisedNames(names), sourceDateEpoch));
      } else if (o.type().equals("registry") || o.flag("push")) {
        List<ImageReference> refs = new ArrayList<>();
        for (String n : names) {
          refs.add(reference(n));
        }
        exporters.add(new RegistryExporter(registry, refs));
      }
    }
    return exporters;
  }

  private List<String> imageNames(OutputSpec o) {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    if (o.attrs().containsKey("name")) {
      names.addAll(List.of(o.attrs().get("name").split(",")));
    } else {
      names.addAll(tags);
    }
    return new ArrayList<>(names);
  }

  private static List<String> normalisedNames(List<String> names) throws UserError {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      ImageReference r = reference(n);
      out.add(r.tag().isPresent() ? r.toString() : r.withTag("latest").toString());
    }
    return out;
  }

  static ImageReference reference(String name) throws UserError {
    try {
      return ImageReference.parse(name);
    } catch (IllegalArgumentException e) {
      throw new UserError("invalid tag \"" + name + "\": " + e.getMessage());
    }
  }
}
