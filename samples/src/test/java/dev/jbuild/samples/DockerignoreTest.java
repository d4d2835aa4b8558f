package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code .dockerignore} shapes what COPY sees and what its cache key covers. */
class DockerignoreTest {
  @TempDir Path work;

  @BeforeAll
  static void environment() {
    Prerequisites.requireRoot();
  }

  private Path context() throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY . /app/\n");
    Files.writeString(ctx.resolve(".dockerignore"), "# build outputs\n*.log\n!keep.log\nnode_modules\nsecret.txt\n**/*.tmp\n");
    Files.writeString(ctx.resolve("app.txt"), "app");
    Files.writeString(ctx.resolve("debug.log"), "noise");
    Files.writeString(ctx.resolve("keep.log"), "kept");
    Files.writeString(ctx.resolve("secret.txt"), "s3cr3t");
    Files.createDirectories(ctx.resolve("node_modules/x"));
    Files.writeString(ctx.resolve("node_modules/x/index.js"), "js");
    Files.createDirectories(ctx.resolve("src/deep"));
    Files.writeString(ctx.resolve("src/main.c"), "int main;");
    Files.writeString(ctx.resolve("src/deep/a.tmp"), "tmp");
    return ctx;
  }

  /** The file names in the single layer of the built image (an index with its provenance, read by OciImages). */
  private List<String> layerFiles(Path tar) throws Exception {
    List<String> layers = OciImages.layerListings(tar, work);
    assertEquals(1, layers.size());
    return Arrays.stream(layers.get(0).split("\n")).filter(l -> !l.endsWith("/")).sorted().collect(Collectors.toList());
  }

  @Test
  void ignoredFilesAreNotCopiedAndDoNotBreakTheCache() throws Exception {
    Path ctx = context();
    Path store = Files.createDirectories(work.resolve("store"));
    Path tar = work.resolve("img.tar");
    Cli.jbuild(store, "build", "--progress=plain", "-o", "type=oci,dest=" + tar, ctx.toString()).assertSuccess();
    assertEquals(List.of("app/.dockerignore", "app/Dockerfile", "app/app.txt", "app/keep.log", "app/src/main.c"),
        layerFiles(tar));

    Files.writeString(ctx.resolve("debug.log"), "more noise");
    Files.writeString(ctx.resolve("node_modules/x/index.js"), "changed");
    Processes.Result again = Cli.jbuild(store, "build", "--progress=plain", "-o", "type=oci,dest=" + tar, ctx.toString());
    again.assertSuccess();
    Map<String, String> outcomes = PlainProgress.outcomes(again.stderr());
    assertEquals("CACHED", outcomes.get("[1/1] COPY . /app/"), again.stderr());

    Files.writeString(ctx.resolve("keep.log"), "kept, changed");
    Processes.Result changed = Cli.jbuild(store, "build", "--progress=plain", "-o", "type=oci,dest=" + tar, ctx.toString());
    assertEquals("DONE", PlainProgress.outcomes(changed.stderr()).get("[1/1] COPY . /app/"), changed.stderr());
  }

  @Test
  void aNamedIgnoredSourceIsNotFound() throws Exception {
    Path ctx = context();
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY secret.txt /\n");
    Processes.Result r = Cli.jbuild(Files.createDirectories(work.resolve("store2")), "build", "--progress=plain",
        ctx.toString());
    assertEquals(1, r.exitCode(), r.stderr());
    org.junit.jupiter.api.Assertions.assertTrue(r.stderr().contains("Dockerfile:2:1: COPY secret.txt /: \"secret.txt\": not found"),
        r.stderr());
  }
}
