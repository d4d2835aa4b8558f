package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every step that misses says why, relative to the last build of the same target in the store. */
@ExtendWith(RegistryExtension.class)
class MissExplanationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path work;

  @BeforeAll
  static void environment() {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
  }

  /** Step name (without numbers) → its "cache miss:" reason, from plain progress. */
  private static Map<String, String> misses(String plain) {
    Map<Integer, String> names = new LinkedHashMap<>();
    Map<String, String> out = new LinkedHashMap<>();
    Pattern line = Pattern.compile("^#(\\d+) (.*)$");
    for (String l : plain.split("\n")) {
      Matcher m = line.matcher(l);
      if (!m.matches()) {
        continue;
      }
      int n = Integer.parseInt(m.group(1));
      if (!names.containsKey(n)) {
        names.put(n, m.group(2).replaceFirst("^\\[[^\\]]*\\] ", ""));
      } else if (m.group(2).startsWith("cache miss: ")) {
        out.put(names.get(n), m.group(2).substring("cache miss: ".length()));
      }
    }
    return out;
  }

  @Test
  void plainWithTheFlagAndRawjsonAlwaysSayWhichInputChanged(TestRegistry registry) throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx/src"));
    Files.writeString(ctx.resolve("app.js"), "console.log(1)\n");
    Files.writeString(ctx.resolve("util.js"), "exports.x = 1\n");
    Path context = ctx.getParent();
    Files.writeString(context.resolve("Dockerfile"), String.join("\n", "ARG BASE", "FROM $BASE", "ARG V=1",
        "COPY src/ /src/", "RUN cat /src/app.js > /out", "RUN echo $V > /v", ""));
    Path store = Files.createDirectories(work.resolve("store"));
    String[] common = {"build", "--platform", "linux/amd64", "--build-arg", "BASE=" + registry.busybox()};

    Processes.Result first = Cli.jbuild(store, concat(common, "--progress=plain", "--explain-misses", context.toString()))
        .assertSuccess();
    String none = "no earlier build of this step in this store (a new or changed instruction)";
    assertEquals(Map.of("COPY src/ /src/", none, "RUN cat /src/app.js > /out", none, "RUN echo $V > /v", none),
        misses(first.stderr()));

    Files.writeString(ctx.resolve("app.js"), "console.log(2)\n");
    Processes.Result second = Cli.jbuild(store, concat(common, "--progress=plain", "--explain-misses", context.toString()))
        .assertSuccess();
    assertEquals(Map.of("COPY src/ /src/", "src/app.js changed",
        "RUN cat /src/app.js > /out", "earlier step changed: COPY src/ /src/",
        "RUN echo $V > /v", "earlier step changed: RUN cat /src/app.js > /out"), misses(second.stderr()));

    // rawjson carries the reason without any flag
    Processes.Result third = Cli.jbuild(store, concat(common, "--build-arg", "V=2", "--progress=rawjson", context.toString()))
        .assertSuccess();
    Map<String, String> reasons = new LinkedHashMap<>();
    for (String l : third.stderr().split("\n")) {
      if (l.startsWith("{")) {
        JsonNode e = JSON.readTree(l);
        if (e.get("type").asText().equals("cachemiss")) {
          reasons.put(e.get("vertex").asText(), e.get("reason").asText());
        }
      }
    }
    // ARG V is declared before both RUNs, so both see it (as in BuildKit)
    assertEquals(java.util.List.of("build arg or env changed: V",
        "build arg or env changed: V; earlier step changed: RUN cat /src/app.js > /out"), java.util.List.copyOf(reasons.values()));

    // plain without the flag stays as buildx prints it
    Files.writeString(ctx.resolve("util.js"), "exports.x = 2\n");
    Processes.Result fourth = Cli.jbuild(store, concat(common, "--progress=plain", context.toString())).assertSuccess();
    assertFalse(fourth.stderr().contains("cache miss"), fourth.stderr());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
