package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.testkit.Processes;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
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
}
