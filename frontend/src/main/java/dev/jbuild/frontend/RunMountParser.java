package dev.jbuild.frontend;

import dev.jbuild.solver.Op;
import dev.jbuild.solver.RunMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the value of one {@code RUN --mount=…} (already expanded) the way BuildKit's Dockerfile
 * frontend does: comma-separated {@code key=value} fields (CSV quoting), {@code type} defaulting to
 * bind, relative targets resolved against WORKDIR, and BuildKit's defaults per type.
 */
final class RunMountParser {
  /** Resolves {@code from=} (a stage name or index, or an image) to a state. */
  @FunctionalInterface
  interface FromResolver {
    Op.CopySource.State resolve(String ref) throws Exception;
  }

  private final String workdir;
  private final Op.CopySource.Context context;
  private final FromResolver from;
  private int sshCount;

  RunMountParser(String workdir, Op.CopySource.Context context, FromResolver from) {
    this.workdir = workdir;
    this.context = context;
    this.from = from;
  }

  /** @throws IllegalArgumentException with a message for the user (the caller adds where) */
  RunMount parse(String spec) throws Exception {
    Map<String, String> f = fields(spec);
    String type = f.getOrDefault("type", "bind").toLowerCase(Locale.ROOT);
    List<String> allowed = switch (type) {
      case "bind" -> List.of("type", "target", "source", "from", "readonly", "readwrite");
      case "cache" -> List.of("type", "target", "source", "from", "readonly", "readwrite", "id", "sharing", "mode",
          "uid", "gid");
      case "tmpfs" -> List.of("type", "target", "size");
      case "secret" -> List.of("type", "target", "id", "env", "required", "mode", "uid", "gid");
      case "ssh" -> List.of("type", "target", "id", "required", "mode", "uid", "gid");
      default -> throw new IllegalArgumentException("unsupported mount type \"" + type
          + "\" (expected bind, cache, tmpfs, secret or ssh)");
    };
    for (String k : f.keySet()) {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException("unexpected key '" + k + "' for a " + type + " mount");
      }
    }
    Optional<String> target = Optional.ofNullable(f.get("target")).filter(t -> !t.isEmpty()).map(this::absolute);
    if (target.isPresent() && target.get().equals("/")) {
      throw new IllegalArgumentException("a mount cannot cover the root directory (target=/)");
    }
    boolean readOnly = readOnly(f, type.equals("bind"));
    return switch (type) {
      case "bind" -> new RunMount.Bind(require(target, type), f.containsKey("from") ? from.resolve(f.get("from")) : context,
          relativeSource(f.getOrDefault("source", "")), !readOnly);
      case "cache" -> {
        String t = require(target, type);
        Optional<Op.CopySource.State> base = f.containsKey("from") ? Optional.of(from.resolve(f.get("from"))) : Optional.empty();
        RunMount.Sharing sharing = switch (f.getOrDefault("sharing", "shared").toLowerCase(Locale.ROOT)) {
          case "shared" -> RunMount.Sharing.SHARED;
          case "private" -> RunMount.Sharing.PRIVATE;
          case "locked" -> RunMount.Sharing.LOCKED;
          default -> throw new IllegalArgumentException("unsupported sharing value \"" + f.get("sharing")
              + "\" (expected shared, private or locked)");
        };
        String id = f.getOrDefault("id", "");
        yield new RunMount.Cache(t, id.isEmpty() ? t : id, sharing, base, relativeSource(f.getOrDefault("source", "")),
            mode(f, 0755), id(f, "uid"), id(f, "gid"), readOnly);
      }
      case "tmpfs" -> new RunMount.Tmpfs(require(target, type), f.containsKey("size") ? bytes(f.get("size")) : 0);
      case "secret" -> {
        String id = f.getOrDefault("id", "");
        if (id.isEmpty()) {
          id = target.map(t -> t.substring(t.lastIndexOf('/') + 1)).orElseThrow(() ->
              new IllegalArgumentException("a secret mount needs an id (id=…) or a target"));
        }
        Optional<String> env = Optional.ofNullable(f.get("env")).filter(e -> !e.isEmpty());
        // BuildKit: a secret given only as env is not also a file
        Optional<String> file = target.isPresent() || env.isPresent() ? target : Optional.of("/run/secrets/" + id);
        yield new RunMount.Secret(id, file, env, bool(f, "required", false), mode(f, 0400), id(f, "uid"), id(f, "gid"));
      }
      case "ssh" -> {
        String id = f.getOrDefault("id", "");
        String t = target.orElse("/run/buildkit/ssh_agent." + sshCount);
        sshCount++;
        yield new RunMount.Ssh(id.isEmpty() ? "default" : id, t, bool(f, "required", false), mode(f, 0600),
            id(f, "uid"), id(f, "gid"));
      }
      default -> throw new IllegalStateException(type);
    };
  }

  /** Fields by canonical key; aliases (dst, src, ro, rw…) folded; a bare key means "true". */
  static Map<String, String> fields(String spec) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String field : dev.jbuild.parser.CsvFields.split(spec)) {
      if (field.isEmpty()) {
        continue;
      }
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? "true" : field.substring(eq + 1);
      key = switch (key) {
        case "dst", "destination" -> "target";
        case "src" -> "source";
        case "ro" -> "readonly";
        case "rw" -> "readwrite";
        default -> key;
      };
      if (key.equals("readwrite")) { // store one flag: readonly
        key = "readonly";
        value = Boolean.toString(!parseBool("rw", value));
      }
      out.put(key, value);
    }
    return out;
  }

  private String absolute(String path) {
    return ContainerPaths.resolve(workdir, path, false);
  }


  /** A source inside the context or stage, without leading slashes; ".." may not climb out. */
  private static String relativeSource(String source) {
    List<String> parts = new ArrayList<>();
    for (String p : source.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (parts.isEmpty()) {
          throw new IllegalArgumentException("the source \"" + source + "\" leads out of its root");
        }
        parts.remove(parts.size() - 1);
      } else {
        parts.add(p);
      }
    }
    return String.join("/", parts);
  }

  private static String require(Optional<String> target, String type) {
    return target.orElseThrow(() -> new IllegalArgumentException("a " + type + " mount needs a target (target=…)"));
  }

  private static boolean readOnly(Map<String, String> f, boolean byDefault) {
    return f.containsKey("readonly") ? parseBool("readonly", f.get("readonly")) : byDefault;
  }

  private static boolean bool(Map<String, String> f, String key, boolean byDefault) {
    return f.containsKey(key) ? parseBool(key, f.get(key)) : byDefault;
  }

  private static boolean parseBool(String key, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1", "t" -> true;
      case "false", "0", "f" -> false;
      default -> throw new IllegalArgumentException(key + "=" + value + ": expected true or false");
    };
  }

  private static int mode(Map<String, String> f, int byDefault) {
    String v = f.get("mode");
    if (v == null) {
      return byDefault;
    }
    if (!v.matches("0?[0-7]{1,4}")) {
      throw new IllegalArgumentException("mode=" + v + ": expected an octal mode such as 0755");
    }
    return Integer.parseInt(v, 8);
  }

  private static int id(Map<String, String> f, String key) {
    String v = f.get(key);
    if (v == null) {
      return 0;
    }
    if (!v.matches("\\d{1,9}")) {
      throw new IllegalArgumentException(key + "=" + v + ": expected a number");
    }
    return Integer.parseInt(v);
  }

  /** Sizes as Docker writes them: a number with an optional b, k, m, g or t (1024-based). */
  static long bytes(String v) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)(\\d+)\\s*([kmgt]?)i?b?").matcher(v.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("size=" + v + ": expected bytes, e.g. 64m or 1g");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> n << 10;
      case "m" -> n << 20;
      case "g" -> n << 30;
      case "t" -> n << 40;
      default -> n;
    };
  }
}
