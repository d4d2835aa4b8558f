package dev.jbuild.exporters.attest;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.exporters.Compression;
import dev.jbuild.oci.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The contents of selected regular files of an image's final filesystem, read from its layers in
 * order (a later layer's file replaces an earlier one; whiteouts delete). Files larger than
 * {@link #MAX_FILE_BYTES} are skipped: the catalogs read here are small, and a huge file would
 * only be an attempt to exhaust memory.
 */
final class ImageFiles {
  static final int MAX_FILE_BYTES = 32 << 20;

  private ImageFiles() {}

  /** Path (without leading {@code /}) to content, for every regular file whose path {@code wanted} accepts. */
  static Map<String, byte[]> read(List<Descriptor> layers, ContentStore content, Predicate<String> wanted)
      throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    for (Descriptor layer : layers) {
      Compression c = Compression.ofMediaType(layer.mediaType())
          .orElseThrow(() -> new IOException("layer " + layer.digest() + ": unknown media type " + layer.mediaType()));
      try (InputStream raw = content.open(layer.digestValue());
           TarArchiveInputStream tar = new TarArchiveInputStream(c.decompress(raw))) {
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
          String path = normalise(e.getName());
          String base = path.substring(path.lastIndexOf('/') + 1);
          String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
          if (base.equals(".wh..wh..opq")) {
            files.keySet().removeIf(p -> p.startsWith(dir));
            continue;
          }
          if (base.startsWith(".wh.")) {
            String gone = dir + base.substring(4);
            files.keySet().removeIf(p -> p.equals(gone) || p.startsWith(gone + "/"));
            continue;
          }
          files.keySet().removeIf(p -> p.equals(path) || p.startsWith(path + "/"));
          if (e.isFile() && e.getSize() <= MAX_FILE_BYTES && wanted.test(path)) {
            files.put(path, tar.readAllBytes());
          }
        }
      }
    }
    return files;
  }

  private static String normalise(String name) {
    String n = name;
    while (n.startsWith("./") || n.startsWith("/")) {
      n = n.substring(n.startsWith("/") ? 1 : 2);
    }
    return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
  }
}
