package dev.jbuild.exporters;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.progress.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes an OCI image layout ({@code -o type=oci,dest=…}): {@code oci-layout}, {@code index.json}
 * naming the root once per image name, and every blob; as a tar (default; entries in a fixed
 * order with fixed times) or, with {@code tar=false}, as a directory. Nothing appears at
 * {@code dest} until it is complete.
 */
public final class OciLayoutExporter implements Exporter {
  private final Path dest;
  private final boolean tar;
  private final List<String> names;
  private final ImageFormat format;
  private final Instant entryTime;

  /**
   * @param names full image names ({@code docker.io/library/app:1}) for the
   *     {@code io.containerd.image.name} and {@code org.opencontainers.image.ref.name} annotations
   * @param sourceDateEpoch the time of tar entries and files (else 1970-01-01)
   */
  public OciLayoutExporter(Path dest, boolean tar, List<String> names, ImageFormat format,
                           Optional<Instant> sourceDateEpoch) {
    this.dest = dest;
    this.tar = tar;
    this.names = List.copyOf(names);
    this.format = format;
    this.entryTime = sourceDateEpoch.orElse(Instant.EPOCH);
  }

  @Override
  public ExportResult export(ImageSet images, Progress progress) throws ExportException, InterruptedException {
    String what = "exporting to oci image format " + (tar ? "" : "directory ") + dest;
    ImageSet set = Exporters.inFormat(images, format, progress, what);
    try {
      progress.step(what, step -> {
        if (tar) {
          Exporters.writeFile(dest, out -> {
            try (LayoutSink sink = LayoutSink.tar(out, entryTime)) {
              writeLayout(sink, set, names, Map.of());
            }
          });
        } else {
          Exporters.writeDirectory(dest, false, d -> Files.isRegularFile(d.resolve("oci-layout")), dir -> {
            try (LayoutSink sink = LayoutSink.directory(dir, entryTime)) {
              writeLayout(sink, set, names, Map.of());
            }
          });
        }
        step.status("wrote " + set.root().digest());
        return null;
      });
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new ExportException("writing " + dest + ": " + Exporters.describe(e), e);
    }
    return ExportResult.image(set, names);
  }

  /**
   * The layout's files: {@code oci-layout}, {@code index.json}, then {@code extraFiles} (the
   * Docker archive's {@code manifest.json}), then every blob once, root first.
   */
  static void writeLayout(LayoutSink sink, ImageSet set, List<String> names, Map<String, byte[]> extraFiles)
      throws IOException {
    sink.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    sink.file("index.json", indexJson(set, names));
    for (Map.Entry<String, byte[]> f : extraFiles.entrySet()) {
      sink.file(f.getKey(), f.getValue());
    }
    sink.directory("blobs");
    sink.directory("blobs/sha256");
    for (Digest d : set.blobs()) {
      sink.blob("blobs/sha256/" + d.hex(), set.content(), d);
    }
  }

  private static byte[] indexJson(ImageSet set, List<String> names) {
    Map<String, String> extra = set.format().annotations().forTarget(Annotations.Target.INDEX_DESCRIPTOR, Optional.empty());
    Descriptor root = set.root().withAnnotations(extra);
    List<Descriptor> entries = new ArrayList<>();
    if (names.isEmpty()) {
      entries.add(root);
    }
    for (String name : names) {
      Map<String, String> a = new LinkedHashMap<>(root.annotations());
      a.put("io.containerd.image.name", name);
      int colon = name.lastIndexOf(':');
      if (colon > name.lastIndexOf('/') && !name.contains("@")) {
        a.put("org.opencontainers.image.ref.name", name.substring(colon + 1));
      }
      entries.add(root.withAnnotations(a));
    }
    return ImageIndex.of(entries).toBytes();
  }
}
