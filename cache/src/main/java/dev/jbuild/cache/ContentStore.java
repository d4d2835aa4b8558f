package dev.jbuild.cache;

import dev.jbuild.oci.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Blobs addressed by sha256 under {@code blobs/sha256/<hex>}. Writes go to a temp file that is
 * fsynced and renamed into place only when its digest is known (and matches what was expected),
 * so a killed build never leaves a partial blob behind a valid name. Reads verify the digest
 * as the stream is consumed and at the latest on close; a mismatch deletes the blob and fails the
 * read. Temp files carry their writer's pid so {@link StoreJanitor} can remove a dead build's.
 */
public final class ContentStore {
  private final Path blobs;
  private final Path ingest;
  private final Path notes;

  public ContentStore(Path root) throws IOException {
    this.blobs = root.resolve("blobs/sha256");
    this.ingest = root.resolve("ingest");
    this.notes = root.resolve("notes/sha256");
    Files.createDirectories(blobs);
    Files.createDirectories(ingest);
  }

  /**
   * A short note kept about a blob under a name (like containerd's content labels), e.g. which
   * blob holds the same layer in another compression. Notes are hints: a reader must check what
   * a note points to (a named blob is verified when it is read).
   */
  public Optional<String> note(Digest blob, String name) throws IOException {
    Path p = notes.resolve(blob.hex()).resolve(checkNoteName(name));
    try {
      return Optional.of(Files.readString(p, java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Sets a note atomically (temp file + rename), replacing an earlier value. */
  public void putNote(Digest blob, String name, String value) throws IOException {
    Path dir = Files.createDirectories(notes.resolve(blob.hex()));
    AtomicFiles.write(ingest, dir.resolve(checkNoteName(name)), value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String checkNoteName(String name) {
    if (!name.matches("[a-z0-9][a-z0-9.-]*")) {
      throw new IllegalArgumentException("bad note name: " + name);
    }
    return name;
  }

  /** Every blob in the store (names only; nothing is verified). */
  public java.util.List<Digest> list() throws IOException {
    try (java.util.stream.Stream<Path> s = StoreDirectories.list(blobs)) {
      return s.map(p -> p.getFileName().toString()).filter(Digest::isSha256Hex)
          .map(n -> Digest.parse("sha256:" + n)).sorted(java.util.Comparator.comparing(Digest::toString)).toList();
    }
  }

  /** Blobs this blob's notes name (e.g. the same layer in another compression), which live as long as it does. */
  public java.util.List<Digest> notedBlobs(Digest blob) throws IOException {
    Path dir = notes.resolve(blob.hex());
    if (!Files.isDirectory(dir)) {
      return java.util.List.of();
    }
    java.util.List<Digest> out = new java.util.ArrayList<>();
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String v = Files.readString(p, java.nio.charset.StandardCharsets.UTF_8).strip();
        String first = v.split("\\s+", 2)[0];
        if (first.matches("sha256:[0-9a-f]{64}")) {
          out.add(Digest.parse(first));
        }
      }
    }
    return out;
  }

  /** Removes a blob and its notes (prune only, under the store's exclusive lock). */
  public void delete(Digest d) throws IOException {
    Files.deleteIfExists(path(d));
    Path n = notes.resolve(d.hex());
    if (Files.isDirectory(n)) {
      try (java.util.stream.Stream<Path> s = Files.list(n)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(n);
    }
  }

  /** Re-hashes a blob; a blob whose bytes do not match its name is removed. */
  public boolean verify(Digest d) throws IOException {
    try (InputStream in = open(d)) {
      in.transferTo(OutputStream.nullOutputStream());
      return true;
    } catch (CorruptContentException e) {
      return false;
    }
  }

  /** The directory temp files are written in before they are renamed into place. */
  Path ingestDir() {
    return ingest;
  }

  public boolean has(Digest d) {
    return Files.isRegularFile(path(d));
  }

  /** Where the blob lives; only for readers that verify themselves or trust a fresh write. */
  public Path path(Digest d) {
    return blobs.resolve(d.hex());
  }

  public long size(Digest d) throws IOException {
    return Files.size(path(d));
  }

  /** Opens a blob for reading; the stream throws {@link CorruptContentException} at EOF if the bytes are wrong. */
  public InputStream open(Digest d) throws IOException {
    Path p = path(d);
    if (!Files.isRegularFile(p)) {
      throw new java.nio.file.NoSuchFileException("blob " + d + " is not in the content store");
    }
    return new VerifyingInputStream(Files.newInputStream(p), d, p);
  }

  public byte[] readAll(Digest d) throws IOException {
    try (InputStream in = open(d)) {
      return in.readAllBytes();
    }
  }

  public Digest put(byte[] bytes) throws IOException {
    try (Writer w = writer()) {
      w.write(bytes);
      return w.commit(Optional.empty());
    }
  }

  /** A new blob writer; nothing becomes visible until {@link Writer#commit}. */
  public Writer writer() throws IOException {
    return new Writer(AtomicFiles.tempFile(ingest, "blob"));
  }

  /** Streams a blob into the store; the bytes must hash to {@code expected}. */
  public void put(InputStream in, Digest expected) throws IOException {
    try (Writer w = writer()) {
      in.transferTo(w);
      w.commit(Optional.of(expected));
    }
  }

  /** Hashes what is written; {@link #commit} verifies, fsyncs and renames into place. */
  public final class Writer extends OutputStream {
    private final Path temp;
    private final OutputStream out;
    private final MessageDigest md = Digest.newSha256();
    private long size;
    private boolean committed;

    private Writer(Path temp) throws IOException {
      this.temp = temp;
      this.out = Files.newOutputStream(temp, StandardOpenOption.WRITE);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      md.update((byte) b);
      size++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      md.update(b, off, len);
      size += len;
    }

    public long size() {
      return size;
    }

    /**
     * A view for wrapping streams (gzip, zstd, tar) whose {@code close()} only flushes: closing
     * the wrapper finishes it without closing this writer, which would discard the blob.
     */
    public OutputStream staysOpen() {
      return new java.io.FilterOutputStream(this) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          flush();
        }
      };
    }

    /** Makes the blob visible under its digest, synced to disk first. Idempotent with respect to existing blobs. */
    public Digest commit(Optional<Digest> expected) throws IOException {
      return commit(expected, true);
    }

    /**
     * As {@link #commit}, without syncing: for layer blobs, which the store can fetch or rebuild.
     * Syncing one flushes its megabytes (and on ext4 more) before a build step may finish — on a
     * 20 MB layer more than the step's own work (docs/benchmarks.md). After a power cut such a blob
     * may be damaged; every read verifies it, and the first one removes it and says to build again,
     * which fetches or rebuilds it. Snapshots, which later steps read, were never synced either.
     */
    public Digest commitUnsynced(Optional<Digest> expected) throws IOException {
      return commit(expected, false);
    }

    private Digest commit(Optional<Digest> expected, boolean sync) throws IOException {
      out.close();
      Digest actual = Digest.of(md);
      if (expected.isPresent() && !expected.get().equals(actual)) {
        Files.deleteIfExists(temp);
        throw new CorruptContentException("content does not match its digest: expected " + expected.get()
            + ", got " + actual);
      }
      // replacing an existing blob is harmless: the new bytes were just verified to hash to its name
      AtomicFiles.commit(temp, path(actual), sync);
      committed = true;
      return actual;
    }

    @Override
    public void close() throws IOException {
      out.close();
      if (!committed) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private static final class VerifyingInputStream extends FilterInputStream {
    private final MessageDigest md = Digest.newSha256();
    private final Digest expected;
    private final Path file;
    private boolean checked;

    VerifyingInputStream(InputStream in, Digest expected, Path file) {
      super(in);
      this.expected = expected;
      this.file = file;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        verify();
      } else {
        md.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n < 0) {
        verify();
      } else {
        md.update(b, off, n);
      }
      return n;
    }

    /**
     * Readers that stop early (a gzip reader stops at its trailer, a tar reader at its end
     * blocks) still get the check: the rest is read and hashed here.
     */
    @Override
    public void close() throws IOException {
      try {
        if (!checked) {
          byte[] buf = new byte[1 << 16];
          while (read(buf, 0, buf.length) >= 0) {
            // read() hashes and verifies at the end
          }
        }
      } finally {
        super.close();
      }
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipping would defeat verification: read through instead.
      byte[] buf = new byte[8192];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }

    private void verify() throws IOException {
      if (checked) {
        return;
      }
      checked = true;
      Digest actual = Digest.of(md);
      if (!actual.equals(expected)) {
        Files.deleteIfExists(file);
        throw new CorruptContentException("blob " + expected + " in the content store is corrupt (its bytes hash to "
            + actual + "); it was removed, run the build again to fetch or rebuild it");
      }
    }
  }
}
