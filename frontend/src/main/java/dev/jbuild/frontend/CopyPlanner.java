package dev.jbuild.frontend;

import dev.jbuild.parser.DockerfileException;
import dev.jbuild.parser.AddFlags;
import dev.jbuild.parser.CopyFlags;
import dev.jbuild.parser.Heredoc;
import dev.jbuild.parser.IgnoreMatcher;
import dev.jbuild.parser.Instruction;
import dev.jbuild.solver.Op;
import dev.jbuild.solver.Vertex;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** COPY and ADD: sources from the context, a stage, an image, here-documents or (ADD) URLs. */
final class CopyPlanner {
  private final StageBuilder s;

  CopyPlanner(StageBuilder stage) {
    this.s = stage;
  }

  void copy(Instruction.Copy c) throws DockerfileException {
    CopyFlags o = c.options();
    transfer(c, "COPY", new TransferFlags(o.from(), o.chown(), o.chmod(), o.excludes(), o.parents(),
        Optional.empty(), Optional.empty(), false), c.sources(), c.destination(), c.heredocs());
  }

  void add(Instruction.Add a) throws DockerfileException {
    AddFlags o = a.options();
    transfer(a, "ADD", new TransferFlags(Optional.empty(), o.chown(), o.chmod(), o.excludes(), false,
        o.checksum(), o.unpack(), o.keepGitDir()), a.sources(), a.destination(), a.heredocs());
  }

  private void transfer(Instruction at, String keyword, TransferFlags flags, List<String> rawSources, String rawDest,
      List<Heredoc> heredocs) throws DockerfileException {
    boolean add = keyword.equals("ADD");
    Op.CopySource source = new Op.CopySource.Context(s.request().contextDir(), s.request().contextFilter());
    Optional<String> chown = Optional.empty();
    Optional<Integer> chmod = Optional.empty();
    Optional<dev.jbuild.oci.Digest> checksum = Optional.empty();
    boolean unpack = add && flags.unpack().orElse(true);
    boolean fromGiven = flags.from().isPresent();
    boolean parents = flags.parents();
    boolean keepGitDir = flags.keepGitDir();
    List<String> excludes = new ArrayList<>();
    for (String e : flags.excludes()) {
      excludes.add(s.x(e, at));
    }
    String fromText = "";
    if (flags.from().isPresent()) {
      String ref = s.x(flags.from().get(), at);
      fromText = "--from=" + ref + " ";
      source = s.stateOf(ref, at);
    }
    if (flags.chown().isPresent()) {
      chown = Optional.of(s.x(flags.chown().get(), at));
    }
    if (flags.chmod().isPresent()) {
      String m = s.x(flags.chmod().get(), at);
      if (!m.matches("[0-7]{3,4}")) {
        throw s.error(at, keyword + " --chmod=" + m + ": only octal modes are supported yet");
      }
      chmod = Optional.of(Integer.parseInt(m, 8));
    }
    // --link: same filesystem result; only layer reuse across bases differs
    if (flags.checksum().isPresent()) {
      String sum = s.x(flags.checksum().get(), at);
      try {
        checksum = Optional.of(dev.jbuild.oci.Digest.parse(sum));
      } catch (IllegalArgumentException e) {
        throw s.error(at, "ADD --checksum=" + sum + ": expected sha256:<64 hex digits>");
      }
    }
    List<String> sources = new ArrayList<>();
    for (String src : rawSources) {
      sources.add(s.x(src, at));
    }
    String dest = s.absolute(s.x(rawDest, at));
    int count = sources.size() + heredocs.size();
    if (count > 1 && !dest.endsWith("/")) {
      throw s.error(at, "When using " + keyword + " with more than one source file, the destination must be a directory and end with a /");
    }
    String text = keyword + " " + fromText + String.join(" ", sources)
        + heredocs.stream().map(h -> " <<" + h.name()).reduce("", String::concat) + " " + s.x(rawDest, at);
    if (!heredocs.isEmpty()) {
      if (!sources.isEmpty()) {
        throw s.error(at, keyword + " with both files and here-documents is not supported by jbuild yet");
      }
      List<Op.InlineFile> files = new ArrayList<>();
      for (Heredoc h : heredocs) {
        files.add(new Op.InlineFile(h.name(), h.expand() ? s.x(quoteForExpansion(h.content()), at) : h.content()));
      }
      Vertex inline = new Vertex(new Op.Inline(files), "[internal] here-documents for " + keyword);
      source = new Op.CopySource.State(inline);
      sources = files.stream().map(Op.InlineFile::name).toList();
      unpack = false;
    } else if (add && sources.stream().anyMatch(ContainerPaths::isGitUrl)) {
      if (sources.size() > 1) {
        throw s.error(at, "ADD with a git repository and other sources is not supported; use one ADD per repository");
      }
      source = new Op.CopySource.State(gitSource(sources.get(0), keepGitDir, at));
      sources = List.of(".");
      unpack = false;
    } else if (add && sources.stream().anyMatch(ContainerPaths::isUrl)) {
      if (sources.size() > 1) {
        throw s.error(at, "ADD with a URL and other sources is not supported by jbuild yet; use one ADD per URL");
      }
      String url = sources.get(0);
      try {
        java.net.URI.create(url);
      } catch (IllegalArgumentException e) {
        throw s.error(at, "ADD " + url + ": invalid URL");
      }
      String name = ContainerPaths.downloadName(url);
      Vertex http = s.planner.origin(new Vertex(new Op.Http(url, checksum, name), "[internal] download " + url), at);
      source = new Op.CopySource.State(http);
      sources = List.of(name);
      unpack = flags.unpack().orElse(false);
    } else if (checksum.isPresent()) {
      throw s.error(at, "ADD --checksum is only supported with a URL source");
    }
    if (keepGitDir && !(source instanceof Op.CopySource.State st && st.vertex().op() instanceof Op.Git)) {
      throw s.error(at, "ADD --keep-git-dir needs a git repository source");
    }
    if (fromGiven && add) {
      throw s.error(at, "ADD does not support --from; use COPY --from");
    }
    s.addStep(new Op.Copy(s.state, source, sources, dest, chown, chmod, unpack, exclusions(excludes, at), parents),
        at, text, text);
  }

  /**
   * A git URL as BuildKit reads it: {@code REMOTE[#REF[:SUBDIR]]}; the ref defaults to the
   * remote's HEAD, the subdir to the whole repository.
   */
  private Vertex gitSource(String url, boolean keepGitDir, Instruction at) {
    int hash = url.indexOf('#');
    String remote = hash < 0 ? url : url.substring(0, hash);
    String fragment = hash < 0 ? "" : url.substring(hash + 1);
    int colon = fragment.indexOf(':');
    String ref = colon < 0 ? fragment : fragment.substring(0, colon);
    String subdir = colon < 0 ? "" : ContainerPaths.resolve("/", fragment.substring(colon + 1), false).substring(1);
    return s.planner.origin(new Vertex(new Op.Git(remote, ref, subdir, keepGitDir), "[internal] git " + url), at);
  }

  private Op.Exclusions exclusions(List<String> patterns, Instruction at) throws DockerfileException {
    if (patterns.isEmpty()) {
      return Op.Exclusions.NONE;
    }
    try {
      return new Op.Exclusions(patterns, ContextIgnore.filter(IgnoreMatcher.of(patterns)));
    } catch (IllegalArgumentException e) {
      throw s.error(at, "--exclude: " + e.getMessage());
    }
  }

  /**
   * A here-document body is expanded like a double-quoted word would be, without its quotes
   * being removed: wrap it so the expander keeps quotes and whitespace as they are.
   */
  private static String quoteForExpansion(String content) {
    return "\"" + content.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
