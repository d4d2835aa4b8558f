package dev.jbuild.cache;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A store filled by hand: layers (blob + unpacked snapshot), records over layer chains, cache mounts, stat caches. */
final class StoreFixture {
  /** A layer: its blob and diff id, with {@code size} bytes in the blob and in its snapshot. */
  record Layer(Digest blob, Digest diffId, int size) {}

  final Path root;
  final ContentStore content;
  final CacheRecords records;

  StoreFixture(Path root) throws IOException {
    this.root = root;
    this.content = new ContentStore(root);
    this.records = new CacheRecords(root, content);
  }

  /** A layer whose blob holds {@code size} bytes of {@code fill}; its snapshot is made when a record names it. */
  Layer layer(int fill, int size) throws IOException {
    byte[] bytes = new byte[size];
    java.util.Arrays.fill(bytes, (byte) fill);
    Digest blob = content.put(bytes);
    Digest diffId = Digest.sha256(("diff " + fill + " " + size).getBytes());
    return new Layer(blob, diffId, size);
  }

  /** A record over {@code chain}, last used at {@code used}; creates the snapshots of the chain. */
  CacheKey record(String name, Instant used, Layer... chain) throws IOException {
    List<CacheRecord.LayerRecord> layers = new ArrayList<>();
    List<Digest> diffIds = new ArrayList<>();
    for (Layer l : chain) {
      layers.add(new CacheRecord.LayerRecord("application/vnd.oci.image.layer.v1.tar+gzip", l.blob().toString(),
          l.size(), l.diffId().toString()));
      diffIds.add(l.diffId());
    }
    List<Digest> ids = ChainIds.of(diffIds);
    for (int i = 0; i < chain.length; i++) {
      Path snap = root.resolve("snapshots").resolve(ids.get(i).hex());
      if (!Files.isDirectory(snap)) {
        Files.createDirectories(snap.resolve("etc"));
        Files.write(snap.resolve("etc/file"), new byte[chain[i].size()]);
      }
    }
    CacheKey key = CacheKey.of(Map.of("op", name));
    records.put(key, new CacheRecord(layers, true, "2024-01-01T00:00:00Z"));
    Files.setLastModifiedTime(root.resolve("records").resolve(key.digest().hex() + ".json"), FileTime.from(used));
    return key;
  }

  Path cacheMount(String id, int size, Instant used) throws IOException {
    Path dir = Files.createDirectories(root.resolve("cache-mounts").resolve(id).resolve("0"));
    Files.write(dir.resolve("data"), new byte[size]);
    Files.setLastModifiedTime(dir, FileTime.from(used));
    Files.setLastModifiedTime(dir.getParent(), FileTime.from(used));
    return dir.getParent();
  }

  Path statCache(String id, int size, Instant used) throws IOException {
    Path f = Files.createDirectories(root.resolve("statcache")).resolve(id);
    Files.write(f, new byte[size]);
    Files.setLastModifiedTime(f, FileTime.from(used));
    return f;
  }

  Path snapshotOf(Layer... chain) {
    List<Digest> diffIds = java.util.Arrays.stream(chain).map(Layer::diffId).toList();
    List<Digest> ids = ChainIds.of(diffIds);
    return root.resolve("snapshots").resolve(ids.get(ids.size() - 1).hex());
  }
}
