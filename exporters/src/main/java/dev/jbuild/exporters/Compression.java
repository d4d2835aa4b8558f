package dev.jbuild.exporters;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.jbuild.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

/** How a layer blob is compressed ({@code compression=} of an image output) and its media types. */
public enum Compression {
  GZIP(MediaTypes.OCI_LAYER_GZIP, MediaTypes.DOCKER_LAYER_GZIP, 6, 0, 9),
  ZSTD(MediaTypes.OCI_LAYER_ZSTD, null, 3, 1, 22),
  UNCOMPRESSED(MediaTypes.OCI_LAYER_TAR, "application/vnd.docker.image.rootfs.diff.tar", 0, 0, 0);

  private final String ociMediaType;
  private final String dockerMediaType;
  private final int defaultLevel;
  private final int minLevel;
  private final int maxLevel;

  Compression(String ociMediaType, String dockerMediaType, int defaultLevel, int minLevel, int maxLevel) {
    this.ociMediaType = ociMediaType;
    this.dockerMediaType = dockerMediaType;
    this.defaultLevel = defaultLevel;
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
  }

  /** {@code gzip}, {@code zstd} or {@code uncompressed}, as in {@code -o …,compression=}. */
  public static Compression parse(String s) {
    for (Compression c : values()) {
      if (c.attributeValue().equals(s.toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException("compression=" + s + " is not supported (use gzip, zstd or uncompressed)");
  }

  /** The compression a layer media type says its blob has; empty for types jbuild cannot convert. */
  public static Optional<Compression> ofMediaType(String mediaType) {
    if (MediaTypes.isGzipLayer(mediaType)) {
      return Optional.of(GZIP);
    }
    if (MediaTypes.OCI_LAYER_ZSTD.equals(mediaType)) {
      return Optional.of(ZSTD);
    }
    if (MediaTypes.OCI_LAYER_TAR.equals(mediaType) || UNCOMPRESSED.dockerMediaType.equals(mediaType)) {
      return Optional.of(UNCOMPRESSED);
    }
    return Optional.empty();
  }

  public String attributeValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The layer media type in an OCI manifest, or in a Docker schema 2 one ({@code ociMediaTypes=false}). */
  public String layerMediaType(boolean ociMediaTypes) {
    if (!ociMediaTypes && dockerMediaType == null) {
      throw new IllegalArgumentException("Docker media types have no " + attributeValue() + " layer type");
    }
    return ociMediaTypes ? ociMediaType : dockerMediaType;
  }

  public boolean hasDockerMediaType() {
    return dockerMediaType != null;
  }

  public int defaultLevel() {
    return defaultLevel;
  }

  /** Checks a {@code compression-level=} value for this compression. */
  public void checkLevel(int level) {
    if (this != UNCOMPRESSED && (level < minLevel || level > maxLevel)) {
      throw new IllegalArgumentException("compression-level=" + level + " is out of range for " + attributeValue()
          + " (" + minLevel + "-" + maxLevel + ")");
    }
  }

  /**
   * Wraps {@code out} so that what is written to the result arrives compressed; closing the result
   * finishes the stream and closes {@code out}. Output is deterministic for a given level.
   */
  public OutputStream compress(OutputStream out, int level) throws IOException {
    return switch (this) {
      case GZIP -> new ParallelGzipOutputStream(out, level == 0 ? Deflater.NO_COMPRESSION : level);
      case ZSTD -> {
        ZstdOutputStream z = new ZstdOutputStream(out, level);
        // Multithreaded zstd writes the same bytes whatever the worker count (but not the same
        // as single-threaded mode), so always using workers keeps digests machine-independent.
        z.setWorkers(Math.max(1, Runtime.getRuntime().availableProcessors()));
        z.setChecksum(false);
        yield z;
      }
      case UNCOMPRESSED -> out;
    };
  }

  public InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case GZIP -> new GZIPInputStream(in, 1 << 16);
      case ZSTD -> new ZstdInputStream(in);
      case UNCOMPRESSED -> in;
    };
  }
}
