package dev.jbuild.exporters;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.solver.progress.Progress;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an OCI image layout as a tar ({@code -o type=oci,dest=FILE.tar}): {@code oci-layout},
 * {@code index.json} naming the root once per image name, and every blob. Entries are in a fixed
 * order with fixed times, and the file appears only when complete.
 */
public final class OciArchiveExporter implements Exporter {
  private final Path dest;
  private final List<String> names;
  private final Instant entryTime;

  /**
   * @param names image names for the {@code io.containerd.image.name} and
   *     {@code org.opencontainers.image.ref.name} annotations (may be empty)
   */
  public OciArchiveExporter(Path dest, List<String> names, Optional<Instant> sourceDateEpoch) {
    this.dest = dest;
    this.names = List.copyOf(names);
    this.entryTime = sourceDateEpoch.orElse(Instant.EPOCH);
  }

  @Override
  public ExportResult export(ImageSet set, Progress progress) throws ExportException, InterruptedException {
    try {
      return progress.step("exporting to oci image format " + dest, step -> {
        Path parent = dest.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + dest.getFileName(), ".tmp");
        try {
          try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
              TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            put(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            put(tar, "index.json", indexJson(set.root()));
            putDir(tar, "blobs/");
            putDir(tar, "blobs/sha256/");
            for (Digest d : blobs(set)) {
              putBlob(tar, set, d);
            }
          }
          Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
        step.status("wrote " + set.root().digest());
        return new ExportResult(set.root(), List.of(dest.toString()));
      });
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new ExportException("writing " + dest + ": " + e.getMessage(), e);
    }
  }

  private byte[] indexJson(Descriptor root) {
    List<Descriptor> entries = new ArrayList<>();
    if (names.isEmpty()) {
      entries.add(root);
    }
    for (String name : names) {
      Map<String, String> a = new LinkedHashMap<>();
      a.put("io.containerd.image.name", name);
      int colon = name.lastIndexOf(':');
      if (colon > name.lastIndexOf('/')) {
        a.put("org.opencontainers.image.ref.name", name.substring(colon + 1));
      }
      entries.add(root.withAnnotations(a));
    }
    return ImageIndex.of(entries).toBytes();
  }

  /** Every blob once, root first, then per platform: manifest, config, layers. */
  private static Set<Digest> blobs(ImageSet set) {
    Set<Digest> out = new LinkedHashSet<>();
    out.add(set.root().digestValue());
    for (ImageSet.PlatformImage img : set.images()) {
      out.add(img.manifest().digestValue());
      out.add(img.config().digestValue());
      img.result().layers().forEach(l -> out.add(l.digest()));
    }
    return out;
  }

  private void put(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
    TarArchiveEntry e = entry(name, TarArchiveEntry.LF_NORMAL);
    e.setSize(data.length);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  private void putDir(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry e = entry(name, TarArchiveEntry.LF_DIR);
    e.setMode(040755);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private void putBlob(TarArchiveOutputStream tar, ImageSet set, Digest d) throws IOException {
    TarArchiveEntry e = entry("blobs/sha256/" + d.hex(), TarArchiveEntry.LF_NORMAL);
    e.setSize(set.content().size(d));
    tar.putArchiveEntry(e);
    try (InputStream in = set.content().open(d)) {
      in.transferTo(tar);
    }
    tar.closeArchiveEntry();
  }

  private TarArchiveEntry entry(String name, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setMode(type == TarArchiveEntry.LF_DIR ? 040755 : 0100644);
    e.setModTime(java.nio.file.attribute.FileTime.from(entryTime));
    e.setUserId(0);
    e.setGroupId(0);
    return e;
  }
}
