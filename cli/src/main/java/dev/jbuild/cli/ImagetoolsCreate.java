package dev.jbuild.cli;

import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.registry.ImageReference;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild imagetools create -t TAG SRC…}: one index from per-platform images or indexes (the
 * CI matrix merge after {@code push-by-digest}), pushed under each tag.
 */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Create a new image index from the manifests of the source images or indexes.")
final class ImagetoolsCreate implements Callable<Integer> {
  @Parameters(paramLabel = "SOURCE", arity = "0..*", description = "Source images or indexes (tags or NAME@DIGEST).")
  List<String> sources = new ArrayList<>();

  @Option(names = {"-t", "--tag"}, paramLabel = "NAME", description = "Set the reference of the new index; repeatable.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--append", description = "Append to the index that the first tag names now.")
  boolean append;

  @Option(names = "--annotation", paramLabel = "[index:]KEY=VALUE", description = "Add an annotation to the index; repeatable.")
  List<String> annotations = new ArrayList<>();

  @Option(names = "--dry-run", description = "Show the index instead of pushing it.")
  boolean dryRun;

  @picocli.CommandLine.Mixin RegistryCommands registrySettings = new RegistryCommands();

  @Override
  public Integer call() {
    return RegistryCommands.reporting(this::create);
  }

  private int create() throws UserError, RegistryException {
    if (tags.isEmpty() && !dryRun) {
      throw new UserError("imagetools create needs a name for the new index: add -t/--tag NAME (or --dry-run)");
    }
    List<ImageReference> targets = new ArrayList<>();
    for (String t : tags) {
      targets.add(Outputs.reference(t, "invalid tag"));
    }
    List<ImageReference> refs = new ArrayList<>();
    if (append) {
      if (targets.isEmpty()) {
        throw new UserError("--append needs -t/--tag: the index to append to");
      }
      refs.add(targets.get(0));
    }
    for (String s : sources) {
      refs.add(Outputs.reference(s, "invalid source"));
    }
    if (refs.isEmpty()) {
      throw new UserError("imagetools create needs at least one source image");
    }
    Map<String, String> indexAnnotations = annotations();
    try (RegistryClient registry = RegistryClient.create(registrySettings.load())) {
      IndexMerger merger = new IndexMerger(registry);
      List<IndexMerger.Source> fetched = new ArrayList<>();
      for (ImageReference r : refs) {
        fetched.add(merger.fetch(r));
      }
      ImageIndex index = merger.merge(fetched, indexAnnotations);
      byte[] bytes = index.toBytes();
      if (dryRun) {
        System.out.println(new String(prettyPrinted(bytes), StandardCharsets.UTF_8));
        return 0;
      }
      Path scratch;
      try {
        scratch = Files.createTempDirectory("jbuild-imagetools-");
      } catch (java.io.IOException e) {
        throw new UserError("cannot create a scratch directory: " + e.getMessage(), e);
      }
      try {
        for (ImageReference target : targets) {
          merger.copyInto(target, index, fetched, scratch);
          Digest d = registry.pushManifest(target, target.tag().orElse(ImageReference.DEFAULT_TAG), bytes, index.mediaType());
          System.err.println("pushed " + (index.mediaType().equals(dev.jbuild.oci.MediaTypes.OCI_INDEX) ? "an index" : "a manifest list")
              + " of " + index.manifests().size() + " manifests to " + target.withTag(target.tag().orElse(ImageReference.DEFAULT_TAG))
              + "@" + d);
        }
      } finally {
        ContextSource.deleteTree(scratch);
      }
      return 0;
    }
  }

  /** {@code KEY=VALUE} and {@code index:KEY=VALUE}; other targets have no meaning for a merged index. */
  private Map<String, String> annotations() throws UserError {
    Map<String, String> out = new LinkedHashMap<>();
    for (String a : annotations) {
      String kv = a;
      int colon = a.indexOf(':');
      int eq = a.indexOf('=');
      if (colon > 0 && (eq < 0 || colon < eq)) {
        String type = a.substring(0, colon);
        if (!type.equals("index")) {
          throw new UserError("--annotation " + a + ": imagetools create sets index annotations only (index:KEY=VALUE)");
        }
        kv = a.substring(colon + 1);
        eq = kv.indexOf('=');
      }
      if (eq <= 0) {
        throw new UserError("--annotation " + a + ": expected [index:]KEY=VALUE");
      }
      out.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return out;
  }

  private static byte[] prettyPrinted(byte[] json) throws UserError {
    try {
      return dev.jbuild.oci.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(dev.jbuild.oci.Json.MAPPER.readTree(json));
    } catch (java.io.IOException e) {
      throw new UserError("cannot print the index: " + e.getMessage(), e);
    }
  }
}
