package dev.jbuild.exporters;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an exporter produced.
 *
 * @param root the image index (several platforms) or manifest (one platform); empty for
 *     file-system outputs ({@code local}, {@code tar})
 * @param configDigest the config digest when the root is a single manifest
 * @param created the images' creation time (config {@code created}) when they agree on one
 * @param names the image names or paths written
 */
public record ExportResult(Optional<Descriptor> root, Optional<Digest> configDigest, Optional<String> created,
                           List<String> names) {
  public ExportResult {
    names = List.copyOf(names);
  }

  static ExportResult image(ImageSet set, List<String> names) {
    List<String> times = set.images().stream().map(i -> i.result().config().created()).distinct().toList();
    Optional<String> created = times.size() == 1 ? Optional.ofNullable(times.get(0)) : Optional.empty();
    return new ExportResult(Optional.of(set.root()), set.singleConfigDigest(), created, names);
  }

  static ExportResult files(List<String> paths) {
    return new ExportResult(Optional.empty(), Optional.empty(), Optional.empty(), paths);
  }

  /**
   * The root descriptor as buildx reports it in {@code containerimage.descriptor}: a single
   * manifest's descriptor carries its config digest and creation time as annotations.
   */
  public Optional<Descriptor> reportedDescriptor() {
    return root.map(r -> {
      Map<String, String> a = new TreeMap<>(r.annotations());
      configDigest.ifPresent(d -> a.put("config.digest", d.toString()));
      if (configDigest.isPresent()) {
        created.ifPresent(c -> a.put("org.opencontainers.image.created", c));
      }
      return new Descriptor(r.mediaType(), r.digest(), r.size(), a, null);
    });
  }
}
