package dev.jbuild.solver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ADD of a git repository: keyed by the commit its ref resolves to (as BuildKit does), not by the
 * ref's name; executed as a checkout whose contents (or a subdir's) become a filesystem of their
 * own, {@code .git} only with keepGitDir.
 */
final class GitHandler implements OpHandler {
  private final Op.Git git;

  GitHandler(Op.Git git) {
    this.git = git;
  }

  @Override
  public Map<String, Object> cacheMap(KeyInputs keys) throws java.io.IOException, InterruptedException {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("op", "git");
    d.put("commit", keys.gitRef(git).commit());
    d.put("subdir", git.subdir());
    d.put("keepGitDir", git.keepGitDir());
    return d;
  }

  @Override
  public FsState exec(List<FsState> inputs, StepContext step) throws Exception {
    Path dir = Files.createTempDirectory("jbuild-git");
    try {
      step.git().checkout(git, step.git().resolve(git), dir);
      PathFilter noGitDir = PathFilter.of(rel -> !git.keepGitDir() && (rel.equals(".git") || rel.startsWith(".git/")));
      String what = git.subdir().isEmpty() ? "." : git.subdir();
      return step.worker().snapshots.mutate(FsState.EMPTY, false, root -> {
        new FileCopier(Optional.empty(), Optional.empty(), false).copy(dir, noGitDir, List.of(what), root, "/");
        return Set.of();
      });
    } finally {
      SnapshotStore.deleteTree(dir);
    }
  }
}
