package dev.jbuild.solver;

import dev.jbuild.oci.Digest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers file content digests by what stat says about a file (size, mtime, ctime, inode),
 * one file per context directory under {@code statcache/} in the store, so a rebuild re-reads
 * only files that changed. Entries are hints: a digest is used only while every stat field still
 * matches, and the cache file is replaced atomically (not synced: after a power cut it may be stale
 * or zero-filled, which reads as no entries or entries no real file matches), so a stale or
 * concurrent write is harmless.
 */
final class StatCache {
  /** What stat said when the digest was computed. */
  record Stat(long size, long mtimeNanos, long ctimeNanos, long inode) {
    // equals and hashCode written out (same values as the generated ones): see Digest's
    @Override
    public boolean equals(Object o) {
      return o instanceof Stat s && size == s.size && mtimeNanos == s.mtimeNanos && ctimeNanos == s.ctimeNanos
          && inode == s.inode;
    }

    @Override
    public int hashCode() {
      return ((Long.hashCode(size) * 31 + Long.hashCode(mtimeNanos)) * 31 + Long.hashCode(ctimeNanos)) * 31
          + Long.hashCode(inode);
    }
  }

  private record Entry(Stat stat, Digest digest) {}

  private static final int MAGIC = 0x4a425343; // "JBSC"
  private static final int VERSION = 1;

  private final Path dir;
  private final Map<Path, Map<String, Entry>> byRoot = new ConcurrentHashMap<>();
  private final Map<Path, Boolean> dirty = new ConcurrentHashMap<>();

  StatCache(Path dir) {
    this.dir = dir;
  }

  /** The digest of {@code file} (under {@code root}), read from disk only when its stat changed. */
  Digest digest(Path root, Path file, Stat stat) throws IOException {
    Map<String, Entry> entries = byRoot.computeIfAbsent(root, this::load);
    String key = file.toString();
    Entry e = entries.get(key);
    if (e != null && e.stat.equals(stat)) {
      return e.digest;
    }
    Digest d;
    try (InputStream in = Files.newInputStream(file)) {
      d = Digest.sha256(in);
    }
    entries.put(key, new Entry(stat, d));
    dirty.put(root, true);
    return d;
  }

  /** Writes back what changed for {@code root}. */
  void save(Path root) throws IOException {
    if (dirty.remove(root) == null) {
      return;
    }
    Map<String, Entry> entries = byRoot.get(root);
    Files.createDirectories(dir);
    Path tmp = dev.jbuild.cache.AtomicFiles.tempFile(dir, "statcache");
    try {
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(entries.size());
        for (Map.Entry<String, Entry> m : entries.entrySet()) {
          byte[] name = m.getKey().getBytes(StandardCharsets.UTF_8);
          out.writeInt(name.length);
          out.write(name);
          Stat s = m.getValue().stat;
          out.writeLong(s.size);
          out.writeLong(s.mtimeNanos);
          out.writeLong(s.ctimeNanos);
          out.writeLong(s.inode);
          out.write(HexFormat.of().parseHex(m.getValue().digest.hex()));
        }
      }
      dev.jbuild.cache.AtomicFiles.renameUnsynced(tmp, fileFor(root));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private Path fileFor(Path root) {
    return dir.resolve(Digest.sha256(root.toString().getBytes(StandardCharsets.UTF_8)).hex());
  }

  private Map<String, Entry> load(Path root) {
    Map<String, Entry> entries = new ConcurrentHashMap<>();
    Path f = fileFor(root);
    if (!Files.isRegularFile(f)) {
      return entries;
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION) {
        return entries;
      }
      int n = in.readInt();
      byte[] digest = new byte[32];
      for (int i = 0; i < n; i++) {
        byte[] name = in.readNBytes(in.readInt());
        Stat s = new Stat(in.readLong(), in.readLong(), in.readLong(), in.readLong());
        in.readFully(digest);
        entries.put(new String(name, StandardCharsets.UTF_8), new Entry(s, new Digest("sha256", HexFormat.of().formatHex(digest))));
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable cache only costs re-reading the files
      entries.clear();
    }
    return entries;
  }
}
