package dev.jbuild.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The build's {@code PATH} argument and {@code -f} as buildx reads them: a directory; {@code -}
 * (a tar context, or a Dockerfile with an empty context, on stdin); an {@code http(s)://} tarball
 * or Dockerfile; a git repository ({@code URL.git#ref:subdir}, {@code git://}, {@code git@}).
 * {@code -f -} reads the Dockerfile from stdin. Remote and stdin contexts are unpacked into a
 * scratch directory that {@link Prepared#close()} removes.
 */
final class ContextSource {
  private ContextSource() {}

  /** A context directory and Dockerfile ready to build; {@code scratch} is removed on close. */
  record Prepared(Path contextDir, Path dockerfile, Optional<Path> scratch) implements AutoCloseable {
    @Override
    public void close() {
      scratch.ifPresent(ContextSource::deleteTree);
    }
  }

  static Prepared prepare(String context, Path file, InputStream stdin) throws UserError {
    boolean dockerfileFromStdin = file != null && file.toString().equals("-");
    if (dockerfileFromStdin && context.equals("-")) {
      throw new UserError("invalid argument: can't use stdin for both build context and dockerfile");
    }
    if (!context.equals("-") && !isRemote(context)) {
      Path dir = Path.of(context).toAbsolutePath().normalize();
      if (!Files.isDirectory(dir)) {
        throw new UserError("unable to prepare context: path \"" + context + "\" not found");
      }
      if (!dockerfileFromStdin) {
        return new Prepared(dir, file == null ? dir.resolve("Dockerfile") : file.toAbsolutePath().normalize(),
            Optional.empty());
      }
    }
    Path scratch = scratchDir();
    try {
      Path dir;
      Path dockerfile = null;
      if (context.equals("-")) {
        dir = Files.createDirectories(scratch.resolve("context"));
        dockerfile = unpackOrDockerfile(new BufferedInputStream(stdin), dir, scratch, "context from stdin");
      } else if (isGit(context)) {
        dir = GitContext.checkout(context, scratch.resolve("context"));
      } else if (isRemote(context)) {
        dir = Files.createDirectories(scratch.resolve("context"));
        dockerfile = download(context, dir, scratch);
      } else {
        dir = Path.of(context).toAbsolutePath().normalize();
      }
      if (dockerfileFromStdin) {
        Path d = Files.createDirectories(scratch.resolve("stdin"));
        dockerfile = d.resolve("Dockerfile");
        Files.write(dockerfile, stdin.readAllBytes());
      } else if (dockerfile == null) {
        // -f names a file inside a context that was sent, as buildx does for remote contexts
        dockerfile = dir.resolve(file == null ? "Dockerfile" : file.toString()).normalize();
      } else if (file != null) {
        throw new UserError("-f " + file + ": the context " + context + " is a single Dockerfile, not an archive");
      }
      return new Prepared(dir, dockerfile, Optional.of(scratch));
    } catch (UserError | RuntimeException e) {
      deleteTree(scratch);
      throw e;
    } catch (IOException e) {
      deleteTree(scratch);
      throw new UserError("unable to prepare context " + context + ": " + e.getMessage(), e);
    }
  }

  /** buildx's test: a URL that git understands, or one that names a repository. */
  static boolean isGit(String s) {
    String noFragment = s.contains("#") ? s.substring(0, s.indexOf('#')) : s;
    return s.startsWith("git://") || s.startsWith("git@") || s.startsWith("ssh://") || s.startsWith("github.com/")
        || ((s.startsWith("http://") || s.startsWith("https://")) && (noFragment.endsWith(".git") || s.contains(".git#")));
  }

  static boolean isRemote(String s) {
    return isGit(s) || s.startsWith("http://") || s.startsWith("https://");
  }

  /** The Dockerfile when the bytes are not an archive (it is then alone, with an empty context), else null. */
  private static Path unpackOrDockerfile(BufferedInputStream raw, Path dir, Path scratch, String what)
      throws IOException, UserError {
    InputStream in = ContextArchive.decompressed(raw);
    if (!in.markSupported()) {
      in = new BufferedInputStream(in);
    }
    if (ContextArchive.isTar(in)) {
      ContextArchive.extract(in, dir, what);
      return null;
    }
    Path dockerfile = Files.createDirectories(scratch.resolve("sent")).resolve("Dockerfile");
    Files.write(dockerfile, in.readAllBytes());
    return dockerfile;
  }

  private static Path download(String url, Path dir, Path scratch) throws IOException, UserError {
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(30)).build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IllegalArgumentException e) {
      throw new UserError("unable to prepare context: invalid URL " + url + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while downloading the context " + url);
    } catch (IOException e) {
      throw new UserError("unable to prepare context: cannot download " + url + ": " + e.getMessage(), e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() / 100 != 2) {
        throw new UserError("unable to prepare context: " + url + " answered HTTP " + response.statusCode());
      }
      return unpackOrDockerfile(new BufferedInputStream(body), dir, scratch, "context " + url);
    }
  }

  private static Path scratchDir() throws UserError {
    try {
      return Files.createTempDirectory("jbuild-context-");
    } catch (IOException e) {
      throw new UserError("cannot create a scratch directory for the context: " + e.getMessage(), e);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> all = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
      for (Path p : all) {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          p.toFile().setWritable(true, true);
        }
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.getLogger(ContextSource.class.getName()).log(System.Logger.Level.DEBUG, "cannot remove " + root, e);
    }
  }

  /** A git repository checked out at {@code #ref[:subdir]} with git itself, without its .git directory. */
  static final class GitContext {
    private GitContext() {}

    static Path checkout(String url, Path dest) throws UserError, IOException {
      String repo = url;
      String ref = "";
      String subdir = "";
      int hash = url.indexOf('#');
      if (hash >= 0) {
        repo = url.substring(0, hash);
        String fragment = url.substring(hash + 1);
        int colon = fragment.indexOf(':');
        ref = colon < 0 ? fragment : fragment.substring(0, colon);
        subdir = colon < 0 ? "" : fragment.substring(colon + 1);
      }
      if (repo.startsWith("github.com/")) {
        repo = "https://" + repo;
      }
      git(List.of("git", "clone", "--quiet", "--no-checkout", "--", repo, dest.toString()), null, url);
      git(List.of("git", "checkout", "--quiet", ref.isEmpty() ? "HEAD" : ref, "--"), dest, url);
      git(List.of("git", "submodule", "update", "--quiet", "--init", "--recursive"), dest, url);
      deleteTree(dest.resolve(".git"));
      Path dir = dest.resolve(subdir).normalize();
      if (!dir.startsWith(dest) || !Files.isDirectory(dir)) {
        throw new UserError("unable to prepare context: " + url + ": no directory \"" + subdir + "\" in the repository");
      }
      return dir;
    }

    private static void git(List<String> cmd, Path dir, String url) throws UserError, IOException {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      pb.environment().put("GIT_TERMINAL_PROMPT", "0"); // fail instead of asking for a password
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new UserError("git contexts need git: apt-get install -y git (" + e.getMessage() + ")");
      }
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
      try {
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
          p.destroyForcibly();
          throw new UserError("unable to prepare context: " + String.join(" ", cmd.subList(0, 2)) + " of " + url
              + " failed" + (out.isEmpty() ? "" : ":\n" + out));
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new UserError("interrupted while fetching " + url);
      }
    }
  }
}
