package dev.jbuild.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Digest;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADD of an archive holding a huge sparse file, in each sparse format GNU tar writes (old GNU, and
 * PAX 0.0, 0.1 and 1.0): within the limit it unpacks to exactly the file (apparent size, data
 * regions, zeros in the holes) and stays sparse on disk; over the limit it fails naming the limit
 * and the variable that raises it (from the entry's header, before writing), and leaves no file behind.
 */
class SparseArchivesTest {
  /** 256 MiB apparent, three small data regions: head, middle, tail. */
  static final long APPARENT = 256L << 20;
  static final long MIDDLE = 100L << 20;
  @TempDir Path tmp;

  /** Writes the sparse source file and archives it with GNU tar in the given format. */
  private Path archive(String format) throws IOException {
    Prerequisites.requireProgram("tar", "tar");
    Path src = Files.createDirectories(tmp.resolve("src"));
    try (RandomAccessFile f = new RandomAccessFile(src.resolve("sparse").toFile(), "rw")) {
      f.setLength(APPARENT);
      f.write("head-data".getBytes(StandardCharsets.US_ASCII));
      f.seek(MIDDLE);
      f.write("middle-data".getBytes(StandardCharsets.US_ASCII));
      f.seek(APPARENT - 4);
      f.write("tail".getBytes(StandardCharsets.US_ASCII));
    }
    assertTrue(diskBytes(src.resolve("sparse")) < (1 << 20), "the source is sparse on this file system");
    Path archive = tmp.resolve("sparse-" + format.replace(' ', '-') + ".tar");
    List<String> cmd = new ArrayList<>(List.of("tar", "--sparse", "-C", src.toString(), "-cf", archive.toString()));
    if (format.equals("gnu")) {
      cmd.add("--format=gnu");
    } else {
      cmd.addAll(List.of("--format=posix", "--sparse-version=" + format.substring("posix ".length())));
    }
    cmd.add("sparse");
    Processes.run(cmd).assertSuccess();
    assertTrue(Files.size(archive) < (1 << 20), "the archive stores only the data: " + Files.size(archive));
    return archive;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gnu", "posix 0.0", "posix 0.1", "posix 1.0"})
  void withinTheLimitItUnpacksExactlyAndStaysSparse(String format) throws Exception {
    Path archive = archive(format);
    Path root = Files.createDirectories(tmp.resolve("root"));
    ArchiveExtractor.extract(archive, "none", root, "/dst", Op.Ownership.ROOT, new ExtractionLimits(APPARENT, 10));
    Path out = root.resolve("dst/sparse");
    assertEquals(APPARENT, Files.size(out), "the apparent size");
    assertEquals(digest(tmp.resolve("src/sparse")), digest(out), "the whole content, holes read as zeros");
    try (RandomAccessFile f = new RandomAccessFile(out.toFile(), "r")) {
      assertEquals("head-data", read(f, 0, 9));
      assertEquals("middle-data", read(f, MIDDLE, 11));
      assertEquals("tail", read(f, APPARENT - 4, 4));
      assertEquals("\0\0\0\0", read(f, MIDDLE - 4, 4), "a hole");
    }
    assertTrue(diskBytes(out) < (1 << 20), "the unpacked file keeps its holes: " + diskBytes(out) + " bytes on disk");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gnu", "posix 1.0"})
  void overTheLimitItFailsNamingTheLimitAndLeavesNoFile(String format) throws Exception {
    Path archive = archive(format);
    Path root = Files.createDirectories(tmp.resolve("root"));
    IOException e = assertThrows(IOException.class, () -> ArchiveExtractor.extract(archive, "none", root, "/dst",
        Op.Ownership.ROOT, new ExtractionLimits(APPARENT - 1, 10)));
    assertEquals("archive " + archive.getFileName() + ": entry \"sparse\": the archive unpacks to more than "
        + (APPARENT - 1) + " bytes (the limit; a decompression bomb? raise it with JBUILD_ADD_MAX_BYTES)", e.getMessage());
    assertFalse(Files.exists(root.resolve("dst/sparse")), "the cut-off file is removed");
  }

  /**
   * 3 GiB of apparent size (GNU tar stores only the data) against a 1 GiB limit: refused at once
   * from the entry's header, before anything is written. (Old GNU format: commons-compress 1.27
   * cannot read PAX 1.0 sparse maps with offsets beyond 2 GiB; such archives fail as invalid tars.)
   */
  @Test
  void aFileOverTheLimitIsRefusedFromItsHeader() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("big"));
    try (RandomAccessFile f = new RandomAccessFile(src.resolve("huge").toFile(), "rw")) {
      f.setLength(3L << 30);
      f.write("data".getBytes(StandardCharsets.US_ASCII));
    }
    Path archive = tmp.resolve("big.tar");
    Processes.run(List.of("tar", "--sparse", "--format=gnu", "-C", src.toString(), "-cf", archive.toString(), "huge"))
        .assertSuccess();
    Path root = Files.createDirectories(tmp.resolve("root"));
    IOException e = assertThrows(IOException.class, () -> ArchiveExtractor.extract(archive, "none", root, "/dst",
        Op.Ownership.ROOT, new ExtractionLimits(1L << 30, 10)));
    assertEquals("archive big.tar: entry \"huge\": the archive unpacks to more than 1073741824 bytes (the limit;"
        + " a decompression bomb? raise it with JBUILD_ADD_MAX_BYTES)", e.getMessage());
    assertFalse(Files.exists(root.resolve("dst/huge")), "nothing written");
  }

  private static String read(RandomAccessFile f, long at, int n) throws IOException {
    byte[] b = new byte[n];
    f.seek(at);
    f.readFully(b);
    return new String(b, StandardCharsets.US_ASCII);
  }

  private static Digest digest(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      return Digest.sha256(in);
    }
  }

  /** Bytes the file occupies on disk (st_blocks × 512). */
  static long diskBytes(Path p) {
    return Long.parseLong(Processes.run(List.of("stat", "-c", "%b", p.toString())).assertSuccess().stdout().strip()) * 512;
  }
}
