package dev.jbuild.exporters;

import dev.jbuild.oci.ImageResult;
import dev.jbuild.oci.Layer;
import dev.jbuild.progress.Progress;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the built root filesystem instead of an image: {@code -o type=local,dest=DIR} (the files)
 * or {@code -o type=tar,dest=FILE} (one tar of them; {@code -} is standard output). With several
 * platforms each gets a subdirectory named like buildx's, {@code linux_amd64/},
 * {@code linux_arm64/}, {@code linux_arm_v7/}. The layers are applied with their whiteouts
 * executed. The result appears only when complete; an existing local directory receives the new
 * top-level entries (replacing what has their names) and keeps the rest.
 */
public final class RootfsExporter implements Exporter {
  /** Which output: the files themselves, or a tar of them. */
  public enum Kind { LOCAL, TAR }

  private final Path dest;
  private final Kind kind;
  private final boolean splitPlatforms;
  private final LayerTars tars;

  /**
   * @param splitPlatforms one subdirectory per platform when there are several ({@code platform-split}, default true)
   * @param tars applies the layers and writes the tar (the CLI passes native's)
   */
  public RootfsExporter(Path dest, Kind kind, boolean splitPlatforms, LayerTars tars) {
    this.dest = dest;
    this.kind = kind;
    this.splitPlatforms = splitPlatforms;
    this.tars = tars;
  }

  public RootfsExporter(Path dest, Kind kind, LayerTars tars) {
    this(dest, kind, true, tars);
  }

  @Override
  public ExportResult export(ImageSet set, Progress progress) throws ExportException, InterruptedException {
    String what = kind == Kind.LOCAL ? "copying files to " + dest : "sending tarball to " + dest;
    try {
      progress.step(what, step -> {
        if (kind == Kind.LOCAL) {
          Exporters.writeDirectory(dest, true, d -> false, dir -> unpackAll(set, dir));
        } else {
          Path scratch = dest.toString().equals("-") ? Files.createTempDirectory("jbuild-rootfs")
              : Exporters.tempBeside(dest, true);
          try {
            unpackAll(set, scratch);
            Exporters.writeFile(dest, out -> tars.writeTar(scratch, out));
          } finally {
            Exporters.deleteTree(scratch);
          }
        }
        return null;
      });
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new ExportException("writing " + dest + ": " + Exporters.describe(e), e);
    }
    return ExportResult.files(List.of(dest.toString()));
  }

  private void unpackAll(ImageSet set, Path dir) throws IOException, InterruptedException {
    // the results, not set.images(): unpacking needs no compressed layers
    boolean several = set.results().size() > 1 && splitPlatforms;
    for (ImageResult img : set.results()) {
      // without the split, later platforms are applied over earlier ones, as buildx's platform-split=false
      Path root = several ? Files.createDirectory(dir.resolve(platformDirectory(img))) : dir;
      LayerTars.Applier applier = tars.newApplier();
      for (Layer l : img.layers()) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        Compression c = Compression.ofMediaType(l.blob().mediaType()).orElseThrow(() -> new IOException(
            "layer " + l.digest() + " has media type " + l.blob().mediaType() + ", which jbuild cannot unpack"));
        try (InputStream in = c.decompress(new BufferedInputStream(set.content().open(l.digest()), 1 << 16))) {
          applier.apply(in, root);
          in.transferTo(java.io.OutputStream.nullOutputStream()); // read to the end so the digest is verified
        } catch (LayerTars.InvalidLayerException e) {
          throw new IOException("layer " + l.digest() + ": " + e.getMessage(), e);
        }
      }
    }
  }

  /** {@code linux_arm64}, {@code linux_arm_v7}: the platform with "/" as "_", as buildx names them. */
  static String platformDirectory(ImageResult img) {
    return img.platform().toString().replace('/', '_');
  }
}
