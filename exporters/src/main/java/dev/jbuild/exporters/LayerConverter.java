package dev.jbuild.exporters;

import dev.jbuild.cache.ContentStore;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Layer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Gives each layer the compression an output asks for, converting independent layers in
 * parallel. A conversion is remembered as a note on the source blob, so the next export with the
 * same format reuses the converted blob instead of compressing again.
 */
final class LayerConverter {
  private final ContentStore content;

  LayerConverter(ContentStore content) {
    this.content = content;
  }

  /** Layer digest → the blob to use for it (digest and size; media type set by the caller). */
  Map<Digest, Descriptor> convertAll(List<Layer> layers, ImageFormat format) throws IOException, InterruptedException {
    Map<Digest, Layer> distinct = new LinkedHashMap<>();
    layers.forEach(l -> distinct.putIfAbsent(l.digest(), l));
    Map<Digest, Descriptor> out = new LinkedHashMap<>();
    List<Layer> todo = new ArrayList<>();
    for (Layer l : distinct.values()) {
      Compression have = compressionOf(l);
      if (have == format.compression() && !(format.force() && have != Compression.UNCOMPRESSED)) {
        out.put(l.digest(), l.blob());
      } else {
        todo.add(l);
      }
    }
    if (todo.isEmpty()) {
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(todo.size(), Runtime.getRuntime().availableProcessors()));
    try {
      Map<Digest, CompletableFuture<Descriptor>> running = new LinkedHashMap<>();
      for (Layer l : todo) {
        running.put(l.digest(), CompletableFuture.supplyAsync(() -> {
          try {
            return convert(l, format);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, pool));
      }
      for (Map.Entry<Digest, CompletableFuture<Descriptor>> r : running.entrySet()) {
        try {
          out.put(r.getKey(), r.getValue().get());
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof UncheckedIOException u) {
            throw u.getCause();
          }
          throw new IOException("converting layer " + r.getKey() + ": " + cause, cause);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    // keep the order of the input
    Map<Digest, Descriptor> ordered = new LinkedHashMap<>();
    distinct.keySet().forEach(d -> ordered.put(d, out.get(d)));
    return ordered;
  }

  private static Compression compressionOf(Layer l) throws IOException {
    return Compression.ofMediaType(l.blob().mediaType()).orElseThrow(() -> new IOException(
        "layer " + l.digest() + " has media type " + l.blob().mediaType() + ", which jbuild cannot recompress"));
  }

  /** Recompresses one layer, or finds the blob an earlier export made for it. */
  Descriptor convert(Layer layer, ImageFormat format) throws IOException {
    String note = "as-" + format.compression().attributeValue() + "-" + format.effectiveLevel();
    Optional<String> known = content.note(layer.digest(), note);
    if (known.isPresent()) {
      String[] parts = known.get().split(" ");
      Digest d = Digest.parse(parts[0]);
      if (content.has(d) && content.size(d) == Long.parseLong(parts[1])) {
        return Descriptor.of(format.compression().layerMediaType(true), d, Long.parseLong(parts[1]));
      }
    }
    Digest digest;
    long size;
    try (ContentStore.Writer w = content.writer();
        InputStream in = compressionOf(layer).decompress(new BufferedInputStream(content.open(layer.digest()), 1 << 16))) {
      try (OutputStream z = format.compression().compress(w.staysOpen(), format.effectiveLevel())) {
        in.transferTo(z);
      }
      digest = w.commit(Optional.empty());
      size = w.size();
    }
    if (format.compression() == Compression.UNCOMPRESSED && !digest.equals(layer.diffId())) {
      throw new IOException("layer " + layer.digest() + " uncompresses to " + digest + ", not its diff id " + layer.diffId());
    }
    content.putNote(layer.digest(), note, digest + " " + size);
    return Descriptor.of(format.compression().layerMediaType(true), digest, size);
  }

}
