package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Digest;
import dev.jbuild.testkit.Processes;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile build contexts through the CLI (FROM scratch, so nothing runs): symlinks in the context
 * pointing outside it are copied as links or refused, never followed to host files; an ADD
 * decompression bomb and a hard-link escape fail the build with a clear one-paragraph error and
 * leave no output behind.
 */
class HostileContextTest {
  @TempDir Path work;

  private Processes.Result build(Path ctx, Map<String, String> env, Path out) {
    Processes.Result r = Cli.jbuild(work.resolve("store"), env, "build", "--progress=plain",
        "-o", "type=local,dest=" + out, ctx.toString());
    Cli.assertNoStackTrace(r);
    return r;
  }

  private Path context(String dockerfile) throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx-" + Integer.toHexString(dockerfile.hashCode())));
    Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
    return ctx;
  }

  @Test
  void contextSymlinksPointingOutsideAreNotFollowed() throws Exception {
    Path ctx = context("FROM scratch\nCOPY tree/ /tree/\n");
    Path tree = Files.createDirectories(ctx.resolve("tree"));
    Files.createSymbolicLink(tree.resolve("passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(tree.resolve("up"), Path.of("../../../../../../etc"));
    Path out = work.resolve("out1");
    build(ctx, Map.of(), out).assertSuccess();
    assertTrue(Files.isSymbolicLink(out.resolve("tree/passwd")));
    assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(out.resolve("tree/passwd")));
    assertEquals(Path.of("../../../../../../etc"), Files.readSymbolicLink(out.resolve("tree/up")));

    Path ctx2 = context("FROM scratch\nCOPY escape /x\n");
    Files.createSymbolicLink(ctx2.resolve("escape"), Path.of("/etc/hostname"));
    Path out2 = work.resolve("out2");
    Processes.Result r = build(ctx2, Map.of(), out2);
    assertEquals(1, r.exitCode());
    assertEquals("ERROR: Dockerfile:2:1: COPY escape /x: \"escape\": not found\n 2 | COPY escape /x\n"
        + "   | ^^^^^^^^^^^^^^\n", r.stderr().substring(r.stderr().indexOf("ERROR: ")));
    assertFalse(Files.exists(out2));
  }

  @Test
  void addBombAndHardlinkEscapeFailCleanly() throws Exception {
    Path ctx = context("FROM scratch\nADD bomb.tar.gz /bomb/\n");
    try (OutputStream f = Files.newOutputStream(ctx.resolve("bomb.tar.gz"));
         TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(f))) {
      TarArchiveEntry e = new TarArchiveEntry("zeros");
      e.setSize(32L << 20);
      tar.putArchiveEntry(e);
      byte[] buf = new byte[1 << 16];
      for (int i = 0; i < (32 << 20) / buf.length; i++) {
        tar.write(buf);
      }
      tar.closeArchiveEntry();
    }
    assertTrue(Files.size(ctx.resolve("bomb.tar.gz")) < 100_000, "a bomb is small");
    Path out = work.resolve("bomb-out");
    Processes.Result r = build(ctx, Map.of("JBUILD_ADD_MAX_BYTES", "1M"), out);
    assertEquals(1, r.exitCode());
    assertTrue(r.stderr().contains("Dockerfile:2:1: ADD bomb.tar.gz /bomb/: archive bomb.tar.gz: entry \"zeros\":"
        + " the archive unpacks to more than 1048576 bytes (the limit; a decompression bomb? raise it with"
        + " JBUILD_ADD_MAX_BYTES)"), r.stderr());
    assertFalse(Files.exists(out));

    Path ctx2 = context("FROM scratch\nADD evil.tar /dst/\n");
    try (OutputStream f = Files.newOutputStream(ctx2.resolve("evil.tar"));
         TarArchiveOutputStream tar = new TarArchiveOutputStream(f)) {
      TarArchiveEntry e = new TarArchiveEntry("shadow", TarConstants.LF_LINK);
      e.setLinkName("../../../etc/shadow");
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    }
    Processes.Result r2 = build(ctx2, Map.of(), work.resolve("evil-out"));
    assertEquals(1, r2.exitCode());
    assertTrue(r2.stderr().contains("archive evil.tar: entry \"shadow\": links outside the destination"
        + " (../../../etc/shadow)"), r2.stderr());
    assertFalse(Files.exists(work.resolve("evil-out")));
  }

  /**
   * A 64 MiB sparse file (three small data regions) in an ADD archive (GNU tar, PAX 1.0 sparse
   * format) and in the context for COPY: both reach the image with their apparent size and exact
   * content; with the ADD limit below the apparent size the build fails naming the limit and its
   * variable, and writes no output.
   */
  @Test
  void hugeSparseFilesInAnAddArchiveAndTheContext() throws Exception {
    Path ctx = context("FROM scratch\nADD sparse.tar /data/\nCOPY big.sparse /copied\n");
    Path inner = Files.createDirectories(work.resolve("tar-src")).resolve("inner");
    Digest innerDigest = sparseFile(inner, "inner");
    Processes.run(List.of("tar", "--sparse", "--format=posix", "--sparse-version=1.0", "-C", inner.getParent().toString(),
        "-cf", ctx.resolve("sparse.tar").toString(), "inner")).assertSuccess();
    assertTrue(Files.size(ctx.resolve("sparse.tar")) < (1 << 20), "the archive holds only the data regions");
    Digest copiedDigest = sparseFile(ctx.resolve("big.sparse"), "context");

    Path oci = work.resolve("sparse.tar");
    Processes.Result r = Cli.jbuild(work.resolve("store"), "build", "--progress=plain", "-o", "type=oci,dest=" + oci,
        ctx.toString());
    Cli.assertNoStackTrace(r);
    r.assertSuccess();
    Map<String, String> files = new java.util.TreeMap<>();
    for (Path layer : OciImages.layerBlobs(oci, work)) {
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(layer)))) {
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
          if (e.isFile()) {
            files.put(e.getName(), e.getSize() + " " + Digest.sha256(tar));
          }
        }
      }
    }
    assertEquals(Map.of("copied", SPARSE_SIZE + " " + copiedDigest, "data/inner", SPARSE_SIZE + " " + innerDigest), files);

    Path out = work.resolve("sparse-over-limit");
    // a fresh store: the first build's ADD result is cached, and a cache hit unpacks nothing
    Processes.Result over = Cli.jbuild(work.resolve("store-limit"), Map.of("JBUILD_ADD_MAX_BYTES", "32M"), "build",
        "--progress=plain", "-o", "type=local,dest=" + out, ctx.toString());
    Cli.assertNoStackTrace(over);
    assertEquals(1, over.exitCode());
    assertTrue(over.stderr().contains("Dockerfile:2:1: ADD sparse.tar /data/: archive sparse.tar: entry \"inner\":"
        + " the archive unpacks to more than 33554432 bytes (the limit; a decompression bomb? raise it with"
        + " JBUILD_ADD_MAX_BYTES)"), over.stderr());
    assertFalse(Files.exists(out));
  }

  private static final long SPARSE_SIZE = 64L << 20;

  /** A sparse file of {@link #SPARSE_SIZE} bytes with a tag at the start, at 40 MiB and at the end; its digest. */
  private static Digest sparseFile(Path p, String tag) throws Exception {
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(SPARSE_SIZE);
      f.write(("head " + tag).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      f.seek(40L << 20);
      f.write(("middle " + tag).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      f.seek(SPARSE_SIZE - 4);
      f.write("tail".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    try (java.io.InputStream in = Files.newInputStream(p)) {
      return Digest.sha256(in);
    }
  }
}
