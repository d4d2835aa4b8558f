package dev.jbuild.samples;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Searches outputs for secret values: as given, and base64-encoded (standard and url-safe, at each of
 * the three byte alignments a value can have inside a longer encoded text, as in an auth header or a
 * docker config). Looks into gzip streams and tar entries, recursively (a layer inside an OCI tar).
 */
final class LeakScanner {
  /** Where a needle was found: the file (with {@code !entry} for what is inside it) and the byte offset there. */
  record Hit(String where, long offset, String needle) {
    @Override
    public String toString() {
      return needle + " in " + where + " at offset " + offset;
    }
  }

  private final Map<String, String> needles = new LinkedHashMap<>();
  private int filesScanned;

  /** Adds a secret value and its base64 forms under a name that says what it is (never the value). */
  LeakScanner secret(String name, String value) {
    needles.put(value, name);
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (int align = 0; align < 3; align++) {
      byte[] shifted = new byte[align + bytes.length];
      System.arraycopy(bytes, 0, shifted, align, bytes.length);
      String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
      // the characters that depend only on the value: drop those mixing in the bytes before and after it
      int skip = align == 0 ? 0 : align + 1;
      String core = encoded.substring(skip, encoded.length() - 2);
      needles.put(core, name + " (base64, alignment " + align + ")");
      needles.putIfAbsent(core.replace('+', '-').replace('/', '_'), name + " (url-safe base64, alignment " + align + ")");
    }
    return this;
  }

  /** Adds a string searched only as given (a PEM body line is already base64). */
  LeakScanner literal(String name, String value) {
    needles.put(value, name);
    return this;
  }

  int needleCount() {
    return needles.size();
  }

  int filesScanned() {
    return filesScanned;
  }

  List<Hit> scanText(String where, String text) {
    List<Hit> hits = new ArrayList<>();
    scan(where, text.getBytes(StandardCharsets.UTF_8), hits, 0);
    return hits;
  }

  /** Every regular file under {@code root} except {@code excluded} (the secrets' own source files). */
  List<Hit> scanTree(Path root, Set<Path> excluded) throws IOException {
    List<Hit> hits = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !excluded.contains(p)) {
          filesScanned++;
          scan(p.toString(), Files.readAllBytes(p), hits, 0);
        }
      }
    }
    return hits;
  }

  private void scan(String where, byte[] data, List<Hit> hits, int depth) {
    String text = new String(data, StandardCharsets.ISO_8859_1);
    for (Map.Entry<String, String> n : needles.entrySet()) {
      int at = text.indexOf(n.getKey());
      if (at >= 0) {
        hits.add(new Hit(where, at, n.getValue()));
      }
    }
    if (depth > 4) {
      return;
    }
    if (data.length > 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
      byte[] plain = gunzip(data);
      if (plain != null) {
        scan(where + "!gunzip", plain, hits, depth + 1);
      }
    } else if (data.length >= 512 && text.startsWith("ustar", 257)) {
      untar(where, data, hits, depth);
    }
  }

  private static byte[] gunzip(byte[] data) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      return in.readAllBytes();
    } catch (IOException notGzip) {
      return null; // starts like gzip by chance: the raw bytes were searched
    }
  }

  private void untar(String where, byte[] data, List<Hit> hits, int depth) {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(data))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.isFile()) {
          scan(where + "!" + e.getName(), tar.readAllBytes(), hits, depth + 1);
        }
      }
    } catch (IOException malformed) {
      // a file that only looks like a tar: its raw bytes were searched
    }
  }
}
