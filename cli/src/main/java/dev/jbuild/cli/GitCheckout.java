package dev.jbuild.cli;

import dev.jbuild.exporters.attest.ProvenanceRequest.GitSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The git commit of a build context that is (inside) a checkout, for provenance. Read from
 * {@code .git} directly, so no git binary is needed; {@code git status} is asked only for
 * whether the tree is dirty; without a git binary the tree counts as dirty (clean is never
 * claimed unchecked).
 */
final class GitCheckout {
  private GitCheckout() {}

  static Optional<GitSource> find(Path contextDir) {
    for (Path dir = contextDir.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path git = dir.resolve(".git");
      if (Files.isDirectory(git)) {
        Path worktree = dir;
        try {
          return commit(git).map(c -> new GitSource(c, remote(git), dirty(worktree)));
        } catch (IOException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> commit(Path git) throws IOException {
    String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).strip();
    if (!head.startsWith("ref: ")) {
      return hex(head);
    }
    String ref = head.substring(5).strip();
    Path loose = git.resolve(ref);
    if (Files.isRegularFile(loose)) {
      return hex(Files.readString(loose, StandardCharsets.UTF_8).strip());
    }
    Path packed = git.resolve("packed-refs");
    if (Files.isRegularFile(packed)) {
      for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
        if (line.endsWith(" " + ref)) {
          return hex(line.substring(0, line.indexOf(' ')));
        }
      }
    }
    return Optional.empty(); // a branch without commits
  }

  private static Optional<String> hex(String s) {
    return s.matches("[0-9a-f]{40}|[0-9a-f]{64}") ? Optional.of(s) : Optional.empty();
  }

  /** {@code remote.origin.url} from .git/config, without credentials embedded in it. */
  private static String remote(Path git) {
    try {
      boolean origin = false;
      for (String line : Files.readAllLines(git.resolve("config"), StandardCharsets.UTF_8)) {
        String t = line.strip();
        if (t.startsWith("[")) {
          origin = t.equals("[remote \"origin\"]");
        } else if (origin && t.startsWith("url")) {
          String url = t.substring(t.indexOf('=') + 1).strip();
          return withoutCredentials(url);
        }
      }
    } catch (IOException e) {
      // no config: no remote
    }
    return "";
  }

  /** {@code https://user:token@host/…} → {@code https://host/…}: provenance must not carry credentials. */
  static String withoutCredentials(String url) {
    return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1");
  }

  private static boolean dirty(Path worktree) {
    try {
      Process p = new ProcessBuilder("git", "-C", worktree.toString(), "status", "--porcelain", "--untracked-files=no")
          .redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return true;
      }
      return out.length > 0;
    } catch (IOException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }
}
