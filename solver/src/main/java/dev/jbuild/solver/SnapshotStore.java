package dev.jbuild.solver;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.nativeexec.LayerException;
import dev.jbuild.nativeexec.LayerReader;
import dev.jbuild.nativeexec.LayerWriter;
import dev.jbuild.nativeexec.MountedRoot;
import dev.jbuild.nativeexec.Snapshotter;
import dev.jbuild.nativeexec.StaleMounts;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Layer;
import dev.jbuild.oci.MediaTypes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.io.BufferedOutputStream;

/**
 * Unpacked layers on disk ({@code snapshots/<chainId hex>}, each one layer's diff in overlay
 * format, keyed by chain id as containerd does so that a diff repeated in a chain — e.g. a RUN
 * whose changes equal an earlier COPY's — still gets its own lower dir) and the one way filesystems change: mount the chain, let a {@link Mutation} change the
 * merged view, turn the upper dir into a new layer blob, keep the upper dir as that layer's
 * snapshot. Nothing half-done ever appears under a final name.
 */
final class SnapshotStore implements AutoCloseable {
  /** Changes a mounted root filesystem; returns paths it created only as scaffolding (mount points). */
  @FunctionalInterface
  interface Mutation {
    Set<String> apply(Path root) throws Exception;
  }

  /**
   * Changes a mounted root filesystem and may also leave work to write straight into the upper dir
   * once the root is unmounted: creating files through overlayfs costs several times what creating
   * them in a plain directory does, and the kernel allows changing an upper dir only while it is not
   * mounted.
   */
  @FunctionalInterface
  interface DirectMutation {
    UpperWrites apply(Path root, Path upper) throws Exception;
  }

  /** Writes into an unmounted upper dir, where every parent it needs already exists. */
  @FunctionalInterface
  interface UpperWrites {
    UpperWrites NONE = upper -> {};

    void writeInto(Path upper) throws Exception;
  }

  private final Path snapshots;
  private final Path tmp;
  private final ContentStore content;
  private final Snapshotter snapshotter;
  private final LayerWriter layerWriter;
  private final Optional<Instant> sourceDateEpoch;
  private final ConcurrentHashMap<Digest, Object> unpackLocks = new ConcurrentHashMap<>();

  SnapshotStore(Path root, ContentStore content, Snapshotter snapshotter, Optional<Instant> sourceDateEpoch)
      throws IOException {
    this.snapshots = root.resolve("snapshots");
    // a directory per process: a killed build's mounts and half-written dirs are cleaned up by
    // the next build, never by a concurrent one
    Path tmpRoot = root.resolve("tmp");
    Files.createDirectories(tmpRoot);
    cleanStale(tmpRoot);
    this.tmp = tmpRoot.resolve(Long.toString(ProcessHandle.current().pid()));
    this.content = content;
    this.snapshotter = snapshotter;
    this.sourceDateEpoch = sourceDateEpoch;
    this.layerWriter = new LayerWriter(sourceDateEpoch);
    Files.createDirectories(snapshots);
    Files.createDirectories(tmp);
  }

  /** Removes this process's scratch directory (everything in it is unmounted by now). */
  @Override
  public void close() throws IOException {
    StaleMounts.unmountUnder(tmp);
    deleteTree(tmp);
  }

  private static void cleanStale(Path tmpRoot) throws IOException {
    try (Stream<Path> dirs = Files.list(tmpRoot)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        String name = d.getFileName().toString();
        boolean alive = name.matches("\\d+") && Long.parseLong(name) != ProcessHandle.current().pid()
            && ProcessHandle.of(Long.parseLong(name)).isPresent();
        if (!alive) {
          StaleMounts.unmountUnder(d);
          deleteTree(d);
        }
      }
    }
  }

  /**
   * Applies {@code mutation} on top of {@code base} and returns the resulting state.
   *
   * @param forProcess adds the scaffold lower (mount points) under the chain, for running processes
   */
  FsState mutate(FsState base, boolean forProcess, Mutation mutation) throws Exception {
    return mutate(base, forProcess, mutation, (root, upper) -> UpperWrites.NONE);
  }

  /** As {@link #mutate(FsState, boolean, Mutation)}, for a mutation that also writes into the upper dir directly. */
  FsState mutate(FsState base, DirectMutation mutation) throws Exception {
    return mutate(base, false, root -> Set.of(), mutation);
  }

  private FsState mutate(FsState base, boolean forProcess, Mutation mutation, DirectMutation direct) throws Exception {
    List<Path> lowers = lowerDirs(base.layers());
    if (forProcess) {
      lowers.add(scaffold());
    }
    Path work = Files.createTempDirectory(tmp, "mutation");
    try {
      Path upper = Files.createDirectory(work.resolve("upper"));
      Set<String> scaffolding;
      UpperWrites afterUnmount;
      try (MountedRoot mounted = snapshotter.mount(lowers, upper, Files.createDirectory(work.resolve("work")),
          Files.createDirectory(work.resolve("merged")))) {
        scaffolding = mutation.apply(mounted.path());
        afterUnmount = direct.apply(mounted.path(), upper);
      }
      afterUnmount.writeInto(upper);
      removeScaffolding(upper, scaffolding);
      // an unchanged filesystem still gets its (empty) layer: BuildKit gives every RUN, COPY,
      // ADD and WORKDIR one, so the image has the same layers and history entries
      Layer layer = writeLayer(upper);
      List<Layer> layers = new ArrayList<>(base.layers());
      layers.add(layer);
      keepAsSnapshot(upper, chainIds(layers).get(layers.size() - 1));
      Instant now = Instant.now();
      Instant created = sourceDateEpoch.filter(e -> e.isBefore(now)).orElse(now);
      return new FsState(layers, true, Optional.of(created));
    } finally {
      deleteTree(work);
    }
  }

  /**
   * The bottom-most lower dir for processes: empty mount points the runtime needs (proc, sys,
   * dev, /etc/hosts, /etc/resolv.conf, /etc/hostname). Because they exist in a lower, mounting
   * over them changes nothing in the upper dir, so they never leak into a layer; images that have
   * them shadow the scaffold.
   */
  private Path scaffold() throws IOException {
    Path dir = snapshots.getParent().resolve("scaffold-v1");
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Path staging = Files.createTempDirectory(tmp, "scaffold");
    try {
      Path fs = Files.createDirectory(staging.resolve("fs"));
      for (String d : List.of("proc", "sys", "dev", "etc")) {
        Files.createDirectory(fs.resolve(d));
        FileModes.set(fs.resolve(d), d.equals("proc") || d.equals("sys") ? 0555 : 0755, Op.Ownership.ROOT);
      }
      for (String f : List.of("etc/hosts", "etc/resolv.conf", "etc/hostname")) {
        Files.createFile(fs.resolve(f));
        FileModes.set(fs.resolve(f), 0644, Op.Ownership.ROOT);
      }
      moveIntoPlace(fs, dir);
    } finally {
      deleteTree(staging);
    }
    return dir;
  }

  /** A read-only view of a state's filesystem (for COPY --from); close it when done. */
  MountedRoot view(FsState state) throws IOException, LayerException {
    return viewOf(lowerDirs(state.layers()));
  }

  /** A view of a host directory; what is written into it is discarded on close (RUN --mount=type=bind,rw). */
  MountedRoot view(Path dir) throws IOException {
    return viewOf(List.of(dir));
  }

  /** An empty directory in this process's scratch space (removed with it at the latest). */
  Path scratchDir(String prefix) throws IOException {
    return Files.createTempDirectory(tmp, prefix);
  }

  private MountedRoot viewOf(List<Path> lowers) throws IOException {
    Path work = Files.createTempDirectory(tmp, "view");
    MountedRoot m = snapshotter.mount(lowers, Files.createDirectory(work.resolve("upper")),
        Files.createDirectory(work.resolve("work")), Files.createDirectory(work.resolve("merged")));
    return new MountedRoot() {
      @Override
      public Path path() {
        return m.path();
      }

      @Override
      public void close() throws IOException {
        try {
          m.close();
        } finally {
          deleteTree(work);
        }
      }
    };
  }

  /** The unpacked dirs of a chain, top-most first, as overlayfs wants its lower dirs. */
  private List<Path> lowerDirs(List<Layer> chain) throws IOException, LayerException {
    List<Digest> ids = chainIds(chain);
    List<Path> lowers = new ArrayList<>();
    for (int i = chain.size() - 1; i >= 0; i--) {
      lowers.add(unpacked(chain.get(i), ids.get(i)));
    }
    return lowers;
  }

  /** OCI chain ids: id(0) = diffId(0), id(n) = sha256(id(n-1) + " " + diffId(n)). */
  static List<Digest> chainIds(List<Layer> chain) {
    return dev.jbuild.cache.ChainIds.of(chain.stream().map(Layer::diffId).toList());
  }


  /** The directory holding {@code layer} (at {@code chainId}) unpacked, unpacking it once if needed. */
  private Path unpacked(Layer layer, Digest chainId) throws IOException, LayerException {
    Path dir = snapshots.resolve(chainId.hex());
    if (Files.isDirectory(dir)) {
      return dir;
    }
    synchronized (unpackLocks.computeIfAbsent(chainId, d -> new Object())) {
      if (Files.isDirectory(dir)) {
        return dir;
      }
      Path staging = Files.createTempDirectory(tmp, "unpack");
      try {
        Path fs = Files.createDirectory(staging.resolve("fs"));
        try (InputStream in = decompressed(layer.blob())) {
          new LayerReader().unpack(in, fs);
        }
        moveIntoPlace(fs, dir);
      } finally {
        deleteTree(staging);
      }
      return dir;
    }
  }

  /** Whether every layer of the chain is unpacked already. */
  boolean isUnpacked(List<Layer> chain) {
    return chainIds(chain).stream().allMatch(id -> Files.isDirectory(snapshots.resolve(id.hex())));
  }

  /** Unpacks layer {@code index} of {@code chain} from the content store unless it is unpacked already. */
  void unpack(List<Layer> chain, int index) throws IOException, LayerException {
    unpacked(chain.get(index), chainIds(chain).get(index));
  }

  /**
   * Stores and unpacks layer {@code index} of {@code chain} in one pass over {@code blob} (its bytes as
   * the registry sends them): what is read goes to the content store's writer and, decompressed,
   * into a staging dir. The blob is kept only if it hashes to its digest and the staging dir becomes
   * the snapshot only if the tar also hashes to the layer's diff id, so a corrupt or cut download
   * leaves neither behind.
   */
  void unpackWhileStoring(List<Layer> chain, int index, InputStream blob) throws IOException, LayerException {
    Layer layer = chain.get(index);
    Digest chainId = chainIds(chain).get(index);
    Path dir = snapshots.resolve(chainId.hex());
    synchronized (unpackLocks.computeIfAbsent(chainId, d -> new Object())) {
      Path staging = Files.createTempDirectory(tmp, "unpack");
      try (ContentStore.Writer stored = content.writer()) {
        Path fs = Files.createDirectory(staging.resolve("fs"));
        InputStream raw = new TeeInputStream(blob, stored);
        java.security.MessageDigest diff = Digest.newSha256();
        InputStream hashed = new java.security.DigestInputStream(decompressed(layer.blob(), raw), diff);
        // download, store, gunzip and hash on one core, create the files on the other; the reading
        // thread also drains what follows the compressed stream, for the blob's digest
        try (InputStream tar = new ReadAheadInputStream(hashed, () -> raw.transferTo(OutputStream.nullOutputStream()),
            "jbuild-unpack-" + layer.digest().shortHex())) {
          new LayerReader().unpack(tar, fs);
          tar.transferTo(OutputStream.nullOutputStream()); // the tar's end padding counts for the diff id
        }
        if (!Digest.of(diff).equals(layer.diffId())) {
          throw new dev.jbuild.cache.CorruptContentException("the layer's tar does not match its diff id: expected "
              + layer.diffId() + ", got " + Digest.of(diff));
        }
        stored.commitUnsynced(Optional.of(layer.digest()));
        if (!Files.isDirectory(dir)) {
          moveIntoPlace(fs, dir);
        }
      } finally {
        deleteTree(staging);
      }
    }
  }

  /** Copies what is read into a blob writer. */
  private static final class TeeInputStream extends java.io.FilterInputStream {
    private final OutputStream copy;

    TeeInputStream(InputStream in, OutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        copy.write(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException { // read, so that skipped bytes reach the copy too
      int r = read(new byte[(int) Math.min(Math.max(n, 0), 8192)]);
      return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
      return false; // a reset would copy bytes twice
    }

    @Override
    public void close() {
      // the caller closes the source; the writer is committed or discarded by its owner
    }
  }

  private InputStream decompressed(Descriptor blob) throws IOException {
    return decompressed(blob, new BufferedInputStream(content.open(blob.digestValue()), 1 << 16));
  }

  private static InputStream decompressed(Descriptor blob, InputStream raw) throws IOException {
    if (MediaTypes.isGzipLayer(blob.mediaType())) {
      return new GZIPInputStream(raw, 1 << 16);
    }
    if (blob.mediaType().endsWith(".tar") || blob.mediaType().endsWith("tar")) {
      return raw;
    }
    raw.close();
    throw new IOException("layer media type " + blob.mediaType() + " is not supported yet (gzip and uncompressed tar are)");
  }

  /**
   * Tars the upper dir (whiteouts converted) into the content store, uncompressed: its digest is
   * its diff id. Compression waits until an export needs it (and then runs once, in parallel,
   * cached for the next export), so builds without output or loading into a daemon never gzip.
   */
  private Layer writeLayer(Path upper) throws IOException {
    try (ContentStore.Writer blob = content.writer()) {
      try (OutputStream tar = new BufferedOutputStream(blob.staysOpen(), 1 << 16)) {
        layerWriter.write(upper, Set.of(), tar);
      }
      Digest digest = blob.commitUnsynced(Optional.empty());
      return new Layer(Descriptor.of(MediaTypes.OCI_LAYER_TAR, digest, blob.size()), digest);
    }
  }

  private void keepAsSnapshot(Path upper, Digest chainId) throws IOException {
    Path dir = snapshots.resolve(chainId.hex());
    if (!Files.isDirectory(dir)) {
      moveIntoPlace(upper, dir);
    }
  }

  private static void moveIntoPlace(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // another thread or build made the same directory first (rename fails with ENOTEMPTY);
      // content-addressed, so its copy is as good as ours
      if (!Files.isDirectory(to)) {
        throw e;
      }
    }
  }

  /** Removes mount points the executor created, deepest first, if they are still empty. */
  private static void removeScaffolding(Path upper, Set<String> created) throws IOException {
    List<String> sorted = new ArrayList<>(created);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    for (String rel : sorted) {
      Path p = upper.resolve(rel);
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> s = Files.list(p)) {
          if (s.findAny().isPresent()) {
            continue;
          }
        }
        Files.delete(p);
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == 0) {
        Files.delete(p);
      }
    }
  }


  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(q);
      }
    }
  }
}
