package dev.jbuild.samples;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The {@code build:} sections of a compose file — {@code build: DIR} or {@code build: {context,
 * dockerfile, args}} — as what {@code docker compose build} hands its builder, per service.
 */
record ComposeBuilds(Map<String, Build> services) {
  /** One service's build: context directory (relative to the compose file), Dockerfile and args. */
  record Build(Path context, String dockerfile, Map<String, String> args) {
    /** The {@code jbuild build} arguments for this build, minus output and platform flags. */
    List<String> jbuildArgs() {
      List<String> out = new java.util.ArrayList<>(List.of("-f", context.resolve(dockerfile).toString()));
      args.forEach((k, v) -> out.addAll(List.of("--build-arg", k + "=" + v)));
      return out;
    }
  }

  @SuppressWarnings("unchecked")
  static ComposeBuilds read(Path file) throws IOException {
    Map<String, Object> doc;
    try (Reader r = Files.newBufferedReader(file)) {
      doc = new Yaml().load(r);
    }
    Map<String, Build> out = new LinkedHashMap<>();
    Map<String, Object> services = (Map<String, Object>) doc.get("services");
    for (Map.Entry<String, Object> e : services.entrySet()) {
      Object build = ((Map<String, Object>) e.getValue()).get("build");
      if (build == null) {
        continue;
      }
      Path base = file.toAbsolutePath().getParent();
      if (build instanceof String dir) {
        out.put(e.getKey(), new Build(base.resolve(dir).normalize(), "Dockerfile", Map.of()));
      } else {
        Map<String, Object> b = (Map<String, Object>) build;
        Map<String, String> args = new LinkedHashMap<>();
        ((Map<String, Object>) b.getOrDefault("args", Map.of())).forEach((k, v) -> args.put(k, String.valueOf(v)));
        out.put(e.getKey(), new Build(base.resolve((String) b.getOrDefault("context", ".")).normalize(),
            (String) b.getOrDefault("dockerfile", "Dockerfile"), args));
      }
    }
    return new ComposeBuilds(out);
  }
}
