package dev.jbuild.samples;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A root filesystem exported as a tar (BuildKit's and jbuild's {@code type=tar} output) as one
 * line per path: type, permission bits, numeric owner, link target and content digest. Times
 * are left out: they are not part of what the two builders promise to agree on.
 */
final class RootfsListing {
  private RootfsListing() {}

  static Map<String, String> of(Path tar) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(tar));
        TarArchiveInputStream in = new TarArchiveInputStream(gunzipIfNeeded(raw))) {
      TarArchiveEntry e;
      while ((e = in.getNextTarEntry()) != null) {
        String path = clean(e.getName());
        if (path.equals("/")) {
          continue;
        }
        String type = e.isDirectory() ? "dir" : e.isSymbolicLink() ? "symlink" : e.isLink() ? "hardlink"
            : e.isFile() ? "file" : "other(" + (char) e.getLinkFlag() + ")";
        StringBuilder line = new StringBuilder(type).append(' ')
            .append(String.format("%04o", e.getMode() & 07777)).append(' ')
            .append(e.getLongUserId()).append(':').append(e.getLongGroupId());
        if (e.isSymbolicLink()) {
          line.append(" -> ").append(e.getLinkName());
        } else if (e.isLink()) {
          line.append(" -> ").append(clean(e.getLinkName()));
        } else if (e.isFile()) {
          line.append(" sha256:").append(sha256(in));
        }
        out.put(path, line.toString());
      }
    }
    return out;
  }

  private static InputStream gunzipIfNeeded(InputStream in) throws IOException {
    in.mark(2);
    int a = in.read();
    int b = in.read();
    in.reset();
    return a == 0x1f && b == 0x8b ? new GZIPInputStream(in) : in;
  }

  private static String clean(String name) {
    String n = name.startsWith("./") ? name.substring(1) : name;
    n = n.startsWith("/") ? n : "/" + n;
    return n.length() > 1 && n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
  }

  private static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
