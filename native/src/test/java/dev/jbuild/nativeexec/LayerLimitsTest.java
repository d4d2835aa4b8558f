package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hostile base layer (too big once unpacked, too many entries) fails clearly instead of filling the disk. */
class LayerLimitsTest {
  @TempDir Path dir;

  private static byte[] layer(int files, int bytesEach) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      for (int i = 0; i < files; i++) {
        TarArchiveEntry e = new TarArchiveEntry("f" + i);
        e.setSize(bytesEach);
        t.putArchiveEntry(e);
        t.write(new byte[bytesEach]);
        t.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  @Test
  void bytesAndEntriesAreBounded() throws Exception {
    LayerReader reader = new LayerReader(new LayerLimits(64 << 10, 10));
    IOException big = assertThrows(IOException.class,
        () -> reader.unpack(new ByteArrayInputStream(layer(1, 1 << 20)), Files.createDirectory(dir.resolve("a"))));
    assertEquals("the layer unpacks to more than 65536 bytes (the limit; a decompression bomb? raise it with"
        + " JBUILD_LAYER_MAX_BYTES)", big.getMessage());
    LayerException many = assertThrows(LayerException.class,
        () -> reader.unpack(new ByteArrayInputStream(layer(11, 1)), Files.createDirectory(dir.resolve("b"))));
    assertEquals("the layer has more than 10 entries (the limit; raise it with JBUILD_LAYER_MAX_ENTRIES)", many.getMessage());
    reader.unpack(new ByteArrayInputStream(layer(10, 100)), Files.createDirectory(dir.resolve("c")));
    assertEquals(100, Files.size(dir.resolve("c/f9")));
  }

  @Test
  void limitsComeFromTheEnvironment() {
    assertEquals(new LayerLimits(2L << 40, 7), LayerLimits.fromEnvironment(
        Map.of("JBUILD_LAYER_MAX_BYTES", "2T", "JBUILD_LAYER_MAX_ENTRIES", "7")));
    assertEquals(LayerLimits.DEFAULT, LayerLimits.fromEnvironment(Map.of()));
    assertEquals("JBUILD_LAYER_MAX_ENTRIES=lots: expected a positive number, optionally with K, M, G or T",
        assertThrows(IllegalArgumentException.class,
            () -> LayerLimits.fromEnvironment(Map.of("JBUILD_LAYER_MAX_ENTRIES", "lots"))).getMessage());
  }
}
