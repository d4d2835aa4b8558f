package dev.jbuild.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADD's archive extraction against a corpus of crafted archives: path escapes, link escapes,
 * symlinked parents, devices, setuid files, sparse and bomb archives, odd names, deep nesting,
 * duplicates. Each case either fails with its exact reason or unpacks inside the image root;
 * in every case nothing outside the root changes (a sentinel tree beside it is compared byte for
 * byte, and a host file a symlink points at keeps its content).
 */
class HostileArchivesTest {
  private static final ExtractionLimits LIMITS = new ExtractionLimits(1 << 20, 100);
  @TempDir Path tmp;

  /** A way to write one archive. */
  interface Writer {
    void write(TarArchiveOutputStream tar, Path outside) throws IOException;
  }

  /** What must hold in the root afterwards. */
  interface Check {
    void check(Path root, Path outside) throws IOException;
  }

  record Case(String name, Writer archive, boolean gzip, Optional<String> error, Check check) {}

  private static Case fails(String name, String error, Writer w) {
    return new Case(name, w, false, Optional.of(error), (r, o) -> { });
  }

  private static Case unpacks(String name, Writer w, Check c) {
    return new Case(name, w, false, Optional.empty(), c);
  }

  static void file(TarArchiveOutputStream t, String name, String content) throws IOException {
    file(t, name, content, 0644);
  }

  static void file(TarArchiveOutputStream t, String name, String content, int mode) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(b.length);
    e.setMode(0100000 | mode);
    t.putArchiveEntry(e);
    t.write(b);
    t.closeArchiveEntry();
  }

  static void link(TarArchiveOutputStream t, String name, String target, byte type) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setLinkName(target);
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }

  static void symlink(TarArchiveOutputStream t, String name, String target) throws IOException {
    link(t, name, target, TarConstants.LF_SYMLINK);
  }

  static void hardlink(TarArchiveOutputStream t, String name, String target) throws IOException {
    link(t, name, target, TarConstants.LF_LINK);
  }

  static void dir(TarArchiveOutputStream t, String name, int mode) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
    e.setMode(040000 | mode);
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }

  static void special(TarArchiveOutputStream t, String name, byte type) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setDevMajor(1);
    e.setDevMinor(3);
    e.setMode(0666);
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }

  static void zeros(TarArchiveOutputStream t, String name, long size) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(size);
    t.putArchiveEntry(e);
    byte[] buf = new byte[1 << 16];
    for (long left = size; left > 0; left -= buf.length) {
      t.write(buf, 0, (int) Math.min(buf.length, left));
    }
    t.closeArchiveEntry();
  }

  /**
   * A PAX 1.0 sparse file written by hand: a 512-byte map block (one region: 512 bytes at the
   * end), then those 512 bytes; holes fill the rest of {@code size}.
   */
  static void sparse(TarArchiveOutputStream t, long size) throws IOException {
    byte[] pax = (paxRecord("GNU.sparse.major", "1") + paxRecord("GNU.sparse.minor", "0")
        + paxRecord("GNU.sparse.name", "sparse") + paxRecord("GNU.sparse.realsize", String.valueOf(size)))
        .getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry header = new TarArchiveEntry("PaxHeaders/sparse", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
    header.setSize(pax.length);
    t.putArchiveEntry(header);
    t.write(pax);
    t.closeArchiveEntry();
    byte[] map = new byte[512];
    byte[] text = ("1\n" + (size - 512) + "\n512\n").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, map, 0, text.length);
    TarArchiveEntry e = new TarArchiveEntry("GNUSparseFile.0/sparse");
    e.setSize(1024);
    t.putArchiveEntry(e);
    t.write(map);
    t.write(new byte[512]);
    t.closeArchiveEntry();
  }

  /** One PAX record: its length (counting itself) then {@code key=value\n}. */
  static String paxRecord(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int len = body.length() + 1;
    while (String.valueOf(len).length() + body.length() != len) {
      len++;
    }
    return len + body;
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  static List<Case> corpus() {
    List<Case> c = new ArrayList<>();
    // 1-6: path escapes
    c.add(fails("dot-dot", "entry \"../evil\": escapes the destination", (t, o) -> file(t, "../evil", "x")));
    c.add(fails("dot-dot inside", "entry \"a/../../evil\": escapes the destination", (t, o) -> file(t, "a/../../evil", "x")));
    c.add(fails("dot-slash dot-dot", "entry \"./../evil\": escapes the destination", (t, o) -> file(t, "./../evil", "x")));
    c.add(fails("deep dot-dot", "escapes the destination", (t, o) -> file(t, "../".repeat(40) + "tmp/evil", "x")));
    c.add(unpacks("absolute path lands under the destination", (t, o) -> file(t, "/etc/evil", "x"),
        (r, o) -> assertEquals("x", read(r.resolve("dst/etc/evil")))));
    c.add(unpacks("backslashes are part of the name", (t, o) -> file(t, "..\\..\\evil", "x"),
        (r, o) -> assertEquals("x", read(r.resolve("dst/..\\..\\evil")))));
    // 7-12: symlink escapes and symlinked parents
    c.add(unpacks("symlinked parent to /etc stays in the root", (t, o) -> {
      symlink(t, "link", "/etc");
      file(t, "link/passwd", "root-owned");
    }, (r, o) -> assertEquals("root-owned", read(r.resolve("etc/passwd")))));
    c.add(unpacks("symlinked parent climbing out stays in the root", (t, o) -> {
      symlink(t, "up", "../../../../../../../..");
      file(t, "up/evil", "x");
    }, (r, o) -> assertEquals("x", read(r.resolve("evil")))));
    c.add(fails("symlink to the host's outside dir is resolved in the root, where it is missing",
        "entry \"host/secret.txt\": no such file or directory (is a parent a symlink to a missing directory?)", (t, o) -> {
          symlink(t, "host", o.toString());
          file(t, "host/secret.txt", "overwritten?");
        }));
    c.add(unpacks("symlinked parent to / then a deep path", (t, o) -> {
      symlink(t, "d", "/");
      file(t, "d/usr/bin/evil", "x");
    }, (r, o) -> assertEquals("x", read(r.resolve("usr/bin/evil")))));
    c.add(fails("symlink loop", "too many levels of symbolic links", (t, o) -> {
      symlink(t, "a", "b");
      symlink(t, "b", "a");
      file(t, "a/x", "x");
    }));
    c.add(unpacks("file replaces a symlink to the host instead of writing through it", (t, o) -> {
      symlink(t, "f", o.resolve("secret.txt").toString());
      file(t, "f", "new");
    }, (r, o) -> {
      assertFalse(Files.isSymbolicLink(r.resolve("dst/f")));
      assertEquals("new", read(r.resolve("dst/f")));
    }));
    // 13-17: hardlinks
    c.add(fails("hardlink climbing out", "entry \"hl\": links outside the destination (../../etc/passwd)",
        (t, o) -> hardlink(t, "hl", "../../etc/passwd")));
    c.add(fails("hardlink to an absolute host file", "entry \"hl\": is a hard link to " + "/etc/passwd"
        + ", which is not in the destination", (t, o) -> hardlink(t, "hl", "/etc/passwd")));
    c.add(fails("hardlink to the host through the root's symlink", "is a hard link to host/secret.txt, which is not in the destination",
        (t, o) -> {
          symlink(t, "host", "/" + o.getFileName());
          hardlink(t, "hl", "host/secret.txt");
        }));
    c.add(unpacks("hardlink to a symlink links the symlink itself", (t, o) -> {
      symlink(t, "s", o.resolve("secret.txt").toString());
      hardlink(t, "h", "s");
    }, (r, o) -> assertTrue(Files.isSymbolicLink(r.resolve("dst/h")))));
    c.add(fails("hardlink to a directory", "entry \"h\": is a hard link to a directory", (t, o) -> {
      dir(t, "d", 0755);
      hardlink(t, "h", "d");
    }));
    // 18-22: devices, setuid
    c.add(unpacks("character device is skipped", (t, o) -> special(t, "null", TarConstants.LF_CHR),
        (r, o) -> assertFalse(Files.exists(r.resolve("dst/null"), LinkOption.NOFOLLOW_LINKS))));
    c.add(unpacks("block device is skipped", (t, o) -> special(t, "sda", TarConstants.LF_BLK),
        (r, o) -> assertFalse(Files.exists(r.resolve("dst/sda"), LinkOption.NOFOLLOW_LINKS))));
    c.add(unpacks("fifo is skipped", (t, o) -> special(t, "pipe", TarConstants.LF_FIFO),
        (r, o) -> assertFalse(Files.exists(r.resolve("dst/pipe"), LinkOption.NOFOLLOW_LINKS))));
    c.add(unpacks("setuid root file keeps its mode inside the image, as Docker", (t, o) -> file(t, "su", "x", 04755),
        (r, o) -> assertEquals(04755, FileModes.mode(r.resolve("dst/su")) & 07777)));
    c.add(unpacks("setgid sticky directory", (t, o) -> dir(t, "shared", 03777),
        (r, o) -> assertEquals(03777, FileModes.mode(r.resolve("dst/shared")) & 07777)));
    // 23-26: size and count bombs
    c.add(fails("a file bigger than the limit", "the archive unpacks to more than 1048576 bytes",
        (t, o) -> zeros(t, "big", (1 << 20) + 1)));
    c.add(new Case("gzip decompression bomb", (t, o) -> zeros(t, "bomb", 64L << 20), true,
        Optional.of("the archive unpacks to more than 1048576 bytes"), (r, o) -> { }));
    c.add(fails("many small files add up", "the archive unpacks to more than 1048576 bytes", (t, o) -> {
      for (int i = 0; i < 40; i++) {
        zeros(t, "f" + i, 30_000);
      }
    }));
    c.add(fails("too many entries", "has more than 100 entries", (t, o) -> {
      for (int i = 0; i < 101; i++) {
        file(t, "e" + i, "");
      }
    }));
    c.add(fails("sparse file claiming a terabyte", "archive archive.tar is not a valid tar archive",
        (t, o) -> sparse(t, 1L << 40)));
    // 27-31: names
    c.add(unpacks("newline in a name", (t, o) -> file(t, "a\nb", "x"), (r, o) -> assertEquals("x", read(r.resolve("dst/a\nb")))));
    c.add(unpacks("NUL in a PAX name ends the name", (t, o) -> {
      TarArchiveEntry e = new TarArchiveEntry("placeholder");
      e.addPaxHeader("path", "a\0/../../evil");
      e.setSize(0);
      t.putArchiveEntry(e);
      t.closeArchiveEntry();
    }, (r, o) -> assertEquals(List.of("a"), list(r.resolve("dst")))));
    c.add(unpacks("invalid UTF-8 bytes in a name", (t, o) -> file(t, "bad-\u00ff\u00fe", "x"),
        (r, o) -> assertEquals(1, list(r.resolve("dst")).size())));
    c.add(unpacks("control characters in a name", (t, o) -> file(t, "esc-\u001b[31m", "x"),
        (r, o) -> assertEquals("x", read(r.resolve("dst/esc-\u001b[31m")))));
    c.add(fails("nesting 3000 levels deep", "entry \"" + "a/".repeat(3000) + "f\": is nested deeper than 256 directories",
        (t, o) -> file(t, "a/".repeat(3000) + "f", "x")));
    c.add(unpacks("nesting 255 levels deep is fine", (t, o) -> file(t, "a/".repeat(255) + "f", "x"),
        (r, o) -> assertEquals("x", read(r.resolve("dst/" + "a/".repeat(255) + "f")))));
    c.add(fails("a name longer than NAME_MAX", "File name too long", (t, o) -> file(t, "n".repeat(300), "x")));
    // 32-36: duplicates and replacements
    c.add(unpacks("a duplicate file: the later wins", (t, o) -> {
      file(t, "x", "one");
      file(t, "x", "two");
    }, (r, o) -> assertEquals("two", read(r.resolve("dst/x")))));
    c.add(unpacks("a directory replaces a file", (t, o) -> {
      file(t, "x", "one");
      dir(t, "x", 0755);
      file(t, "x/y", "inner");
    }, (r, o) -> assertEquals("inner", read(r.resolve("dst/x/y")))));
    c.add(unpacks("a file replaces a directory", (t, o) -> {
      dir(t, "x", 0755);
      file(t, "x/y", "inner");
      file(t, "x", "flat");
    }, (r, o) -> assertEquals("flat", read(r.resolve("dst/x")))));
    c.add(unpacks("a symlink replacing a file, then a file through it", (t, o) -> {
      file(t, "x", "one");
      symlink(t, "x", "/etc");
      file(t, "x/shadow", "s");
    }, (r, o) -> assertEquals("s", read(r.resolve("etc/shadow")))));
    c.add(unpacks("root entries are skipped", (t, o) -> {
      dir(t, "./", 0700);
      dir(t, ".", 0700);
      file(t, "./ok", "ok");
    }, (r, o) -> {
      assertEquals("ok", read(r.resolve("dst/ok")));
      assertEquals(0755, FileModes.mode(r.resolve("dst")) & 07777);
    }));
    c.add(unpacks("a long PAX name", (t, o) -> file(t, "n".repeat(250) + "/" + "m".repeat(200), "x"),
        (r, o) -> assertEquals("x", read(r.resolve("dst/" + "n".repeat(250) + "/" + "m".repeat(200))))));
    return c;
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  /** Every path under {@code dir} (not following links) with its type and content. */
  private static TreeMap<String, String> snapshot(Path dir, Path skip) throws IOException {
    TreeMap<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.startsWith(skip)) {
          continue;
        }
        String v = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
            : Files.isDirectory(p) ? "dir" : "file " + Files.readString(p, StandardCharsets.ISO_8859_1);
        out.put(dir.relativize(p).toString(), v);
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> eachCaseIsContained() {
    List<Case> corpus = corpus();
    assertTrue(corpus.size() >= 30, "the corpus has " + corpus.size() + " cases");
    return corpus.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
  }

  private void run(Case c) throws Exception {
    Path caseDir = Files.createTempDirectory(tmp, "case");
    Path root = Files.createDirectories(caseDir.resolve("root"));
    Path outside = Files.createDirectories(caseDir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "host secret");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream o = c.gzip() ? new GZIPOutputStream(bytes) : bytes;
         TarArchiveOutputStream tar = new TarArchiveOutputStream(o, c.name().contains("UTF-8") ? "ISO-8859-1" : "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      c.archive().write(tar, outside);
    }
    Path archive = caseDir.resolve("archive.tar");
    Files.write(archive, bytes.toByteArray());
    TreeMap<String, String> before = snapshot(caseDir, root);
    String compression = ArchiveExtractor.detect(archive).orElseThrow(() -> new AssertionError("not detected as a tar"));
    assertEquals(c.gzip() ? "gzip" : "none", compression);
    if (c.error().isPresent()) {
      IOException e = assertThrows(IOException.class, () -> ArchiveExtractor.extract(archive, compression, root, "/dst",
          Op.Ownership.ROOT, LIMITS));
      assertTrue(e.getMessage().startsWith("archive archive.tar"), e.getMessage());
      assertTrue(e.getMessage().contains(c.error().get()), "expected \"" + c.error().get() + "\" in: " + e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    } else {
      ArchiveExtractor.extract(archive, compression, root, "/dst", Op.Ownership.ROOT, LIMITS);
      c.check().check(root, outside);
    }
    assertEquals(before, snapshot(caseDir, root), "nothing outside the root changed");
    assertEquals("host secret", Files.readString(outside.resolve("secret.txt")));
  }

  @org.junit.jupiter.api.Test
  void limitsComeFromTheEnvironment() {
    assertEquals(new ExtractionLimits(3L << 30, 500), ExtractionLimits.fromEnvironment(
        java.util.Map.of("JBUILD_ADD_MAX_BYTES", "3G", "JBUILD_ADD_MAX_ENTRIES", "500")));
    assertEquals(ExtractionLimits.DEFAULT, ExtractionLimits.fromEnvironment(java.util.Map.of()));
    assertEquals("JBUILD_ADD_MAX_BYTES=-1: expected a positive number, optionally with K, M, G or T",
        assertThrows(IllegalArgumentException.class,
            () -> ExtractionLimits.fromEnvironment(java.util.Map.of("JBUILD_ADD_MAX_BYTES", "-1"))).getMessage());
  }
}
