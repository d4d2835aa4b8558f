package dev.jbuild.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/** {@code --cache-from}/{@code --cache-to} as buildx spells them; checked here, applied by {@link CacheTransfer}. */
final class CacheFlags {
  private static final Set<String> TYPES = Set.of("registry", "local", "inline", "gha", "s3", "azblob");

  /** One cache import or export: {@code type=registry,ref=…,mode=max}. */
  record CacheSpec(String type, Map<String, String> attrs) {}

  List<String> cacheFrom = new ArrayList<>();
  List<String> cacheTo = new ArrayList<>();
  boolean explainMisses;
  String contextPerms;

  /** The options, bound to this object. */
  CommandSpec mixin() {
    return CommandSpecs.mixin(
        CommandSpecs.strings(() -> cacheFrom, v -> cacheFrom = v, "--cache-from").paramLabel("SPEC")
            .description("External cache source: NAME (a registry reference), type=registry,ref=NAME or"
                + " type=local,src=DIR.").build(),
        CommandSpecs.strings(() -> cacheTo, v -> cacheTo = v, "--cache-to").paramLabel("SPEC")
            .description("Cache export: type=registry,ref=NAME[,mode=min|max], type=local,dest=DIR or type=inline;"
                + " cache-mounts=true also exports RUN --mount=type=cache contents (registry, local).").build(),
        CommandSpecs.option(boolean.class, () -> explainMisses, v -> explainMisses = v, "--explain-misses")
            .description("With --progress=plain or tty: say why each step that runs missed the cache"
                + " (also JBUILD_EXPLAIN_MISSES=1; rawjson always carries it).").build(),
        CommandSpecs.option(String.class, () -> contextPerms, v -> contextPerms = v, "--context-perms").paramLabel("MODE")
            .description("as-is (default, as Docker) or git: context files get the modes git stores (0644, or 0755"
                + " when executable; directories 0755), so checkouts made under different umasks share cache hits"
                + " (also JBUILD_CONTEXT_PERMS).").build());
  }

  /** Whether context files are presented with git's modes. */
  boolean gitContextPerms() throws UserError {
    String v = contextPerms != null ? contextPerms : System.getenv().getOrDefault("JBUILD_CONTEXT_PERMS", "as-is");
    return switch (v) {
      case "git" -> true;
      case "as-is", "" -> false;
      default -> throw new UserError("--context-perms " + v + ": expected as-is or git");
    };
  }

  boolean explainMisses() {
    return explainMisses || "1".equals(System.getenv("JBUILD_EXPLAIN_MISSES"));
  }

  /** The imports and exports to apply; a type jbuild cannot apply (gha, s3, azblob, inline) is refused here. */
  CacheTransfer transfer() throws UserError {
    imports();
    exports();
    List<dev.jbuild.cli.CacheSpec> from = new ArrayList<>();
    for (String s : cacheFrom) {
      from.add(dev.jbuild.cli.CacheSpec.parse(s, dev.jbuild.cli.CacheSpec.Direction.FROM));
    }
    List<dev.jbuild.cli.CacheSpec> to = new ArrayList<>();
    for (String s : cacheTo) {
      to.add(dev.jbuild.cli.CacheSpec.parse(s, dev.jbuild.cli.CacheSpec.Direction.TO));
    }
    return new CacheTransfer(from, to);
  }

  List<CacheSpec> imports() throws UserError {
    List<CacheSpec> out = new ArrayList<>();
    for (String s : cacheFrom) {
      out.add(parse("--cache-from", s, "src"));
    }
    return out;
  }

  List<CacheSpec> exports() throws UserError {
    List<CacheSpec> out = new ArrayList<>();
    for (String s : cacheTo) {
      CacheSpec spec = parse("--cache-to", s, "dest");
      String mode = spec.attrs().getOrDefault("mode", "min");
      if (!mode.equals("min") && !mode.equals("max")) {
        throw new UserError("--cache-to " + s + ": mode=" + mode + " must be min or max");
      }
      out.add(spec);
    }
    return out;
  }

  /** buildx: a value without '=' is a registry reference. */
  private static CacheSpec parse(String flag, String value, String localKey) throws UserError {
    if (!value.contains("=")) {
      Outputs.reference(value, flag + ": invalid reference");
      return new CacheSpec("registry", Map.of("ref", value));
    }
    Map<String, String> attrs = new LinkedHashMap<>();
    for (String field : value.split(",")) {
      int eq = field.indexOf('=');
      if (eq <= 0) {
        throw new UserError(flag + " " + value + ": invalid value \"" + field + "\": expected key=value");
      }
      attrs.put(field.substring(0, eq).strip(), field.substring(eq + 1).strip());
    }
    String type = attrs.remove("type");
    if (type == null) {
      throw new UserError(flag + " " + value + ": type required (e.g. type=registry,ref=NAME)");
    }
    if (!TYPES.contains(type)) {
      throw new UserError(flag + " " + value + ": unknown cache type \"" + type + "\" (known: registry, local, inline, gha, s3, azblob)");
    }
    if (type.equals("registry")) {
      String ref = attrs.get("ref");
      if (ref == null || ref.isEmpty()) {
        throw new UserError(flag + " " + value + ": type=registry needs ref=NAME");
      }
      Outputs.reference(ref, flag + ": invalid reference");
    }
    if (type.equals("local") && !attrs.containsKey(localKey)) {
      throw new UserError(flag + " " + value + ": type=local needs " + localKey + "=DIR");
    }
    if (type.equals("inline") && flag.equals("--cache-from")) {
      throw new UserError("--cache-from type=inline is not a source: name the image instead (type=registry,ref=NAME)");
    }
    return new CacheSpec(type, attrs);
  }
}
