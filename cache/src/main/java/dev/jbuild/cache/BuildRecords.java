package dev.jbuild.cache;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The records one build sees: the local store first, then imported caches in the order given.
 * An imported record is used only after every blob it names is in the local store and checked —
 * the compressed bytes against their digest, the uncompressed ones against the diff id — and is
 * then kept locally. A record that fails a check is a miss with a warning, never a wrong image.
 * Remembers every record the build used or made, for {@code --cache-to}.
 */
public final class BuildRecords implements RecordSource {
  /** An imported cache: its records and where their blobs are. */
  public record Import(CacheTarget source, Map<CacheKey, CacheRecord> records) {}

  private final CacheRecords local;
  private final ContentStore content;
  private final List<Import> imports;
  private final Consumer<String> warn;
  private final Map<CacheKey, CacheRecord> used = new ConcurrentHashMap<>();
  private final Map<CacheKey, Long> order = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();

  public BuildRecords(CacheRecords local, ContentStore content, List<Import> imports, Consumer<String> warn) {
    this.local = local;
    this.content = content;
    this.imports = List.copyOf(imports);
    this.warn = warn;
  }

  @Override
  public Optional<CacheRecord> get(CacheKey key) {
    Optional<CacheRecord> r = local.get(key);
    if (r.isEmpty()) {
      r = imported(key);
    }
    r.ifPresent(rec -> remember(key, rec));
    return r;
  }

  @Override
  public void put(CacheKey key, CacheRecord record) throws IOException {
    local.put(key, record);
    remember(key, record);
  }

  /** Every record this build used or made, in the order it first did. */
  public Map<CacheKey, CacheRecord> used() {
    Map<CacheKey, CacheRecord> out = new LinkedHashMap<>();
    order.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> out.put(e.getKey(), used.get(e.getKey())));
    return out;
  }

  private void remember(CacheKey key, CacheRecord r) {
    used.put(key, r);
    order.putIfAbsent(key, clock.incrementAndGet());
  }

  private Optional<CacheRecord> imported(CacheKey key) {
    for (Import imp : imports) {
      CacheRecord r = imp.records().get(key);
      if (r == null) {
        continue;
      }
      try {
        for (CacheRecord.LayerRecord l : r.layers()) {
          fetch(imp.source(), l);
        }
        local.put(key, r);
        return Optional.of(r);
      } catch (CorruptContentException e) {
        warn.accept("cache from " + imp.source().describe() + ": " + e.getMessage() + "; not using it (the step runs)");
      } catch (IOException | IllegalArgumentException e) {
        warn.accept("cache from " + imp.source().describe() + ": cannot use the record for " + key.digest().shortHex()
            + ": " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Brings one layer into the content store, checked against its digest and diff id. */
  private void fetch(CacheTarget source, CacheRecord.LayerRecord l) throws IOException {
    Digest digest = Digest.parse(l.digest());
    if (content.has(digest)) {
      return;
    }
    try (InputStream in = source.openBlob(digest)) {
      content.put(in, digest); // a mismatch throws CorruptContentException and stores nothing
    } catch (CorruptContentException e) {
      throw new CorruptContentException("layer " + digest + " does not match its digest");
    }
    Digest diffId = Digest.parse(l.diffId());
    Digest actual = uncompressedDigest(digest, l.mediaType());
    if (!actual.equals(diffId)) {
      content.delete(digest);
      throw new CorruptContentException("layer " + digest + " does not uncompress to its diff id " + diffId
          + " (got " + actual + ")");
    }
  }

  private Digest uncompressedDigest(Digest blob, String mediaType) throws IOException {
    MessageDigest md = Digest.newSha256();
    boolean gzip = mediaType.endsWith("gzip") || mediaType.endsWith(".gzip");
    boolean plain = mediaType.endsWith(".tar") || mediaType.endsWith("tar");
    if (!gzip && !plain) {
      throw new CorruptContentException("layer " + blob + " has media type " + mediaType + ", which cannot be checked");
    }
    try (InputStream raw = content.open(blob);
        InputStream in = new DigestInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, md)) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (java.util.zip.ZipException e) {
      throw new CorruptContentException("layer " + blob + " is not valid gzip: " + e.getMessage());
    }
    return Digest.of(md);
  }
}
