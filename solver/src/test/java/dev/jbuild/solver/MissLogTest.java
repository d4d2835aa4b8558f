package dev.jbuild.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Miss explanations compare what a step's key came from with the same step of the last build. */
class MissLogTest {
  @TempDir Path store;

  private static MissLog.Inputs copy(String contextDigest, Map<String, String> files, String root) {
    return new MissLog.Inputs(Map.of("op", "copy", "dest", root, "source", Map.of("context", contextDigest)), files,
        Map.of(root, "[linux/amd64] WORKDIR /app"));
  }

  /** A file's fingerprint as ContentHasher makes it. */
  private static String f(String mode, String digest) {
    return "f\u0000" + mode + "\u0000" + digest + "\u0000";
  }

  @Test
  void stepIdsDropStepNumbers() {
    assertEquals("[linux/amd64] COPY . .", MissLog.stepId("[linux/amd64 3/7] COPY . ."));
    assertEquals("[linux/arm64 builder] RUN make", MissLog.stepId("[linux/arm64 builder 2/5] RUN make"));
    assertEquals("RUN make", MissLog.stepId("[2/5] RUN make"));
  }

  @Test
  void namesTheContextFilesThatChanged() throws Exception {
    MissLog first = new MissLog(store, "ctx");
    assertEquals("no earlier build of this step in this store (a new or changed instruction)",
        first.explain("[linux/amd64 2/3] COPY . .", copy("sha256:1", Map.of("a.js", f("644", "sha256:a")), "sha256:r")));
    first.record("[linux/amd64 2/3] COPY . .", copy("sha256:1",
        Map.of("src/app.js", f("644", "sha256:a"), "run.sh", f("644", "sha256:b"), "old.txt", f("644", "sha256:c")), "sha256:r"));
    first.save();

    MissLog second = new MissLog(store, "ctx");
    assertEquals("new.txt added, run.sh mode changed, src/app.js changed and 1 more files",
        second.explain("[linux/amd64 4/5] COPY . .", copy("sha256:2", Map.of("src/app.js", f("644", "sha256:z"),
            "run.sh", f("755", "sha256:b"), "new.txt", f("644", "sha256:d")), "sha256:r")));
    assertEquals("src/app.js changed", second.explain("[linux/amd64 2/3] COPY . .", copy("sha256:3",
        Map.of("src/app.js", f("644", "sha256:z"), "run.sh", f("644", "sha256:b"), "old.txt", f("644", "sha256:c")), "sha256:r")));
    assertEquals("earlier step changed: [linux/amd64] WORKDIR /app",
        second.explain("[linux/amd64 2/3] COPY . .", new MissLog.Inputs(Map.of("op", "copy", "dest", "sha256:other",
            "source", Map.of("context", "sha256:1")), Map.of("src/app.js", f("644", "sha256:a"), "run.sh", f("644", "sha256:b"),
            "old.txt", f("644", "sha256:c")), Map.of("sha256:other", "[linux/amd64] WORKDIR /app"))));
    assertEquals("same inputs as the last build, but its cache record is gone (pruned, or that build did not finish)",
        second.explain("[linux/amd64 2/3] COPY . .", copy("sha256:1",
            Map.of("src/app.js", f("644", "sha256:a"), "run.sh", f("644", "sha256:b"), "old.txt", f("644", "sha256:c")), "sha256:r")));
  }

  @Test
  void namesBuildArgsAndBaseImagesButNotValues() throws Exception {
    MissLog first = new MissLog(store, "t");
    first.record("[linux/amd64 3/3] RUN make", new MissLog.Inputs(Map.of("op", "exec", "env",
        List.of("PATH=/bin", "TOKEN=abc", "V=1")), Map.of(), Map.of()));
    first.record("[linux/amd64 1/3] FROM base", new MissLog.Inputs(Map.of("op", "image", "ref", "r/base@sha256:1"), Map.of(), Map.of()));
    first.save();
    MissLog second = new MissLog(store, "t");
    assertEquals("build arg or env changed: TOKEN, V", second.explain("[linux/amd64 3/3] RUN make",
        new MissLog.Inputs(Map.of("op", "exec", "env", List.of("PATH=/bin", "TOKEN=xyz", "V=2")), Map.of(), Map.of())));
    assertEquals("base image changed: r/base@sha256:1 → r/base@sha256:2", second.explain("[linux/amd64 1/3] FROM base",
        new MissLog.Inputs(Map.of("op", "image", "ref", "r/base@sha256:2"), Map.of(), Map.of())));
    assertEquals("no earlier build of this step in this store (a new or changed instruction)",
        new MissLog(store, "another target").explain("[linux/amd64 3/3] RUN make",
            new MissLog.Inputs(Map.of("op", "exec"), Map.of(), Map.of())));
  }

  @Test
  void aRebuildWithTheSameInputsLeavesTheFileAsItWasAndAChangeReplacesIt() throws Exception {
    MissLog.Inputs run = new MissLog.Inputs(Map.of("op", "exec", "args", List.of("make")), Map.of(), Map.of());
    MissLog first = new MissLog(store, "t");
    first.record("[linux/amd64 2/2] RUN make", run);
    first.save();
    Path file;
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(store.resolve("explain"))) {
      file = s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
    }
    Object inode = java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    MissLog same = new MissLog(store, "t");
    same.record("[linux/amd64 2/2] RUN make", run);
    same.save();
    assertEquals(inode, java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
        "not rewritten");
    MissLog changed = new MissLog(store, "t");
    changed.record("[linux/amd64 2/2] RUN make", new MissLog.Inputs(Map.of("op", "exec", "args", List.of("make", "all")),
        Map.of(), Map.of()));
    changed.save();
    assertEquals("args changed", new MissLog(store, "t").explain("[linux/amd64 2/2] RUN make", run));
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(store.resolve("explain"))) {
      assertEquals(List.of(file), s.toList(), "no temp file left behind");
    }
  }
}
