package dev.jbuild.solver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * ADD's git sources through the host's {@code git}: a ref is resolved to its commit once per
 * build ({@code git ls-remote}), so the cache key is the commit, as in BuildKit; a checkout is a
 * fresh fetch of that commit.
 */
final class GitFetcher {
  private static final String HEX40 = "[0-9a-f]{40}";

  /** A resolved ref: the commit and the remote ref name to fetch it by (empty for a commit given as is). */
  record Resolved(String commit, String refName) {}

  private final Map<String, Resolved> resolved = new ConcurrentHashMap<>();

  Resolved resolve(Op.Git op) throws IOException, InterruptedException {
    String key = op.remote() + "#" + op.ref();
    Resolved r = resolved.get(key);
    if (r == null) {
      r = lsRemote(op);
      resolved.put(key, r);
    }
    return r;
  }

  private static Resolved lsRemote(Op.Git op) throws IOException, InterruptedException {
    if (op.ref().matches(HEX40)) {
      return new Resolved(op.ref(), "");
    }
    String ref = op.ref().isEmpty() ? "HEAD" : op.ref();
    String out = git(null, "ls-remote", op.remote(), ref, ref + "^{}");
    String commit = null;
    String name = null;
    String peeled = null;
    for (String line : out.split("\n")) {
      String[] f = line.split("\t");
      if (f.length != 2 || !f[0].matches(HEX40)) {
        continue;
      }
      if (f[1].endsWith("^{}")) {
        peeled = f[0]; // an annotated tag: the commit it points at
      } else if (commit == null) {
        commit = f[0];
        name = f[1];
      }
    }
    if (peeled != null) {
      commit = peeled;
    }
    if (commit == null) {
      throw new IOException("git ref \"" + ref + "\" was not found in " + op.remote());
    }
    return new Resolved(commit, name);
  }

  /** Checks the commit out into the new directory {@code dir}. */
  void checkout(Op.Git op, Resolved r, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    git(dir, "init", "-q");
    if (r.refName().isEmpty()) {
      git(dir, "fetch", "-q", op.remote(), "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*");
    } else {
      git(dir, "fetch", "-q", op.remote(), r.refName());
    }
    git(dir, "-c", "advice.detachedHead=false", "checkout", "-q", r.commit());
  }

  private static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException("ADD of a git repository needs git on this host: apt-get install -y git");
    }
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(600, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("git " + args[0] + " did not finish within 600s");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("git " + String.join(" ", args) + " failed: " + text.strip());
    }
    return text;
  }
}
