package dev.jbuild.exporters;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Json;
import dev.jbuild.progress.Progress;
import dev.jbuild.registry.ImageReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes a Docker image archive ({@code -o type=docker,dest=FILE.tar}) for {@code docker load}:
 * {@code manifest.json} and {@code repositories} as {@code docker save} writes them, inside an
 * OCI layout of the same blobs (as Docker 25+ saves, so both image stores and skopeo's
 * {@code docker-archive:} read it). An archive holds one image, so a multi-platform build is
 * refused with a pointer to {@code type=oci}.
 */
public final class DockerArchiveExporter implements Exporter {
  private final Path dest;
  private final List<ImageReference> names;
  private final ImageFormat format;
  private final Instant entryTime;

  /** @param format usually with {@code ociMediaTypes=false} (Docker schema 2), as buildx's default */
  public DockerArchiveExporter(Path dest, List<ImageReference> names, ImageFormat format,
                               Optional<Instant> sourceDateEpoch) {
    this.dest = dest;
    this.names = List.copyOf(names);
    this.format = format;
    this.entryTime = sourceDateEpoch.orElse(Instant.EPOCH);
  }

  @Override
  public ExportResult export(ImageSet images, Progress progress) throws ExportException, InterruptedException {
    if (images.platforms().size() > 1) {
      throw new ExportException("-o type=docker: a docker archive holds one platform's image but this build made "
          + images.platforms().size() + " (" + String.join(", ", images.platforms().stream()
              .map(Object::toString).toList())
          + "); use -o type=oci,dest=FILE.tar for a multi-platform archive, or build one --platform");
    }
    String what = "exporting to docker image format " + dest;
    ImageSet set = Exporters.inFormat(images, format, progress, what);
    List<String> fullNames = names.stream().map(DockerArchiveExporter::tagged).map(ImageReference::toString).toList();
    try {
      progress.step(what, step -> {
        Map<String, byte[]> extra = new LinkedHashMap<>();
        extra.put("manifest.json", manifestJson(set));
        if (!names.isEmpty()) {
          extra.put("repositories", repositoriesJson(set));
        }
        Exporters.writeFile(dest, out -> {
          try (LayoutSink sink = LayoutSink.tar(out, entryTime)) {
            OciLayoutExporter.writeLayout(sink, set, fullNames, extra);
          }
        });
        step.status("wrote " + set.root().digest());
        return null;
      });
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new ExportException("writing " + dest + ": " + Exporters.describe(e), e);
    }
    return ExportResult.image(set, fullNames);
  }

  /** {@code [{"Config":…,"RepoTags":[…],"Layers":[…]}]}, paths into the layout's blobs. */
  private byte[] manifestJson(ImageSet set) {
    ImageSet.PlatformImage img = set.images().get(0);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("Config", blobPath(img.config()));
    entry.put("RepoTags", names.stream().map(DockerArchiveExporter::familiar).toList());
    List<String> layers = new ArrayList<>();
    img.layers().forEach(l -> layers.add(blobPath(l)));
    entry.put("Layers", layers);
    return Json.write(List.of(entry));
  }

  /** The legacy {@code {"repo":{"tag":"<image id>"}}} map (docker load reads manifest.json first). */
  private byte[] repositoriesJson(ImageSet set) {
    Map<String, Map<String, String>> repos = new TreeMap<>();
    String id = set.images().get(0).config().digestValue().hex();
    for (ImageReference n : names) {
      String familiar = familiar(n);
      String repo = familiar.substring(0, familiar.lastIndexOf(':'));
      repos.computeIfAbsent(repo, k -> new TreeMap<>()).put(tagged(n).tag().orElseThrow(), id);
    }
    return Json.write(repos);
  }

  private static String blobPath(Descriptor d) {
    return "blobs/sha256/" + d.digestValue().hex();
  }

  private static ImageReference tagged(ImageReference r) {
    return r.tag().isPresent() ? r : r.withTag(ImageReference.DEFAULT_TAG);
  }

  /** The short form docker shows: {@code app:1}, {@code user/app:1}, {@code host:5000/app:1}. */
  static String familiar(ImageReference r) {
    ImageReference t = tagged(r);
    String repo = t.repository();
    String name;
    if (t.registry().equals(ImageReference.DOCKER_HUB)) {
      name = repo.startsWith("library/") && repo.indexOf('/', 8) < 0 ? repo.substring(8) : repo;
    } else {
      name = t.registry() + "/" + repo;
    }
    return name + ":" + t.tag().orElseThrow();
  }
}
