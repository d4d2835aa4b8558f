package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.testkit.BaseImages;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs the steps of the repository's {@code action.yml} as the Actions runner would (inputs and
 * {@code github.action_path} substituted into each step's env and script, bash, a {@code GITHUB_OUTPUT}
 * file) with the seeds' scenario as inputs — two platforms, tags, build date and git commit as build
 * args and labels, a secret, push — and checks the jbuild command line, the pushed image and the outputs.
 */
@ExtendWith(RegistryExtension.class)
class GitHubActionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([a-z_.-]+)\\s*}}");
  @TempDir static Path work;
  static Path bin;

  @BeforeAll
  static void environment() throws Exception {
    Prerequisites.requireRoot();
    bin = Files.createDirectories(work.resolve("bin"));
    // the real CLI on PATH under its own name, as an installed jbuild would be
    Path jbuild = bin.resolve("jbuild");
    Files.writeString(jbuild, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
        + "' -XX:+UseSerialGC -cp '" + System.getProperty("java.class.path") + "' dev.jbuild.cli.Main \"$@\"\n");
    jbuild.toFile().setExecutable(true);
  }

  /** Every step of action.yml, run in order; returns the combined output. */
  @SuppressWarnings("unchecked")
  private static Processes.Result runAction(Map<String, String> inputs, Path githubOutput, Path workspace) throws Exception {
    Path root = BaseImages.projectRoot();
    Map<String, Object> action = new Yaml().load(Files.readString(root.resolve("action.yml")));
    Map<String, Map<String, Object>> declared = (Map<String, Map<String, Object>>) action.get("inputs");
    for (String name : inputs.keySet()) {
      assertTrue(declared.containsKey(name), "action.yml has no input " + name);
    }
    Map<String, String> context = new HashMap<>();
    declared.forEach((name, spec) -> context.put("inputs." + name, inputs.getOrDefault(name, String.valueOf(spec.get("default")))));
    context.put("github.action_path", root.toString());
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    int code = 0;
    for (Map<String, Object> step : (List<Map<String, Object>>) ((Map<String, Object>) action.get("runs")).get("steps")) {
      assertEquals("bash", step.get("shell"));
      Map<String, String> env = new LinkedHashMap<>();
      ((Map<String, Object>) step.getOrDefault("env", Map.of())).forEach((k, v) -> env.put(k, substitute(String.valueOf(v), context)));
      env.put("GITHUB_OUTPUT", githubOutput.toString());
      env.put("PATH", bin + ":" + System.getenv("PATH"));
      env.put("JBUILD_ROOT", work.resolve("store").toString());
      Processes.Result r = Processes.run(List.of("bash", "-e", "-c", substitute((String) step.get("run"), context)),
          workspace, env, 900);
      out.append(r.stdout());
      err.append(r.stderr());
      code = r.exitCode();
      if (code != 0) {
        break;
      }
    }
    return new Processes.Result(List.of("action.yml"), code, out.toString(), err.toString());
  }

  private static String substitute(String s, Map<String, String> context) {
    Matcher m = EXPRESSION.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = context.get(m.group(1));
      if (value == null) {
        throw new AssertionError("action.yml uses ${{ " + m.group(1) + " }}, which this runner does not provide");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** key=value and key<<DELIM … DELIM entries of a GITHUB_OUTPUT file. */
  private static Map<String, String> outputs(Path file) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      int heredoc = l.indexOf("<<");
      int eq = l.indexOf('=');
      if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
        String delimiter = l.substring(heredoc + 2);
        StringBuilder v = new StringBuilder();
        for (i++; !lines.get(i).equals(delimiter); i++) {
          v.append(lines.get(i)).append('\n');
        }
        out.put(l.substring(0, heredoc), v.toString().strip());
      } else {
        out.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    return out;
  }

  @Test
  void theSeedsWorkflowBuildsLabelsAndPushes(TestRegistry registry) throws Exception {
    Path workspace = Files.createDirectories(work.resolve("workspace"));
    Path app = Files.createDirectories(workspace.resolve("app"));
    Files.writeString(app.resolve("Dockerfile"), String.join("\n",
        "FROM scratch",
        "ARG GIT_COMMIT=unknown",
        "ARG BUILD_DATE",
        "COPY hello /",
        "LABEL org.opencontainers.image.revision=$GIT_COMMIT org.opencontainers.image.created=$BUILD_DATE", ""));
    Files.writeString(app.resolve("hello"), "hello\n");
    String reg = registry.hostPort();
    Path githubOutput = Files.createFile(work.resolve("github-output"));
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("context", "app");
    inputs.put("platforms", "linux/amd64,linux/arm64");
    inputs.put("tags", reg + "/action-app:1.0\n" + reg + "/action-app:latest\n");
    inputs.put("build-args", "GIT_COMMIT=0a1b2c3\nBUILD_DATE=2026-12-01T15:00:00Z\n");
    inputs.put("labels", "org.opencontainers.image.source=https://example.com/app\n");
    inputs.put("secrets", "token=s3cr3t-value\n");
    inputs.put("push", "true");
    inputs.put("provenance", "false");

    Processes.Result r = runAction(inputs, githubOutput, workspace);
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    String commandLine = r.stdout().lines().filter(l -> l.startsWith("jbuild ")).findFirst().orElseThrow();
    assertEquals("jbuild 'build' '--progress=plain' '--iidfile' 'WORK/iid' '--metadata-file' 'WORK/metadata.json'"
        + " '--platform' 'linux/amd64,linux/arm64' '--tag' '" + reg + "/action-app:1.0' '--tag' '" + reg + "/action-app:latest'"
        + " '--label' 'org.opencontainers.image.source=https://example.com/app'"
        + " '--build-arg' 'GIT_COMMIT=0a1b2c3' '--build-arg' 'BUILD_DATE=2026-12-01T15:00:00Z' '--push'"
        + " '--secret' 'id=token,env=JBUILD_ACTION_SECRET_1' '--provenance' 'false' 'app'",
        commandLine.replaceAll("'/tmp/tmp\\.[A-Za-z0-9]+/", "'WORK/"));
    assertFalse((r.stdout() + r.stderr()).contains("s3cr3t-value"));

    String index = Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + reg + "/action-app:1.0")).assertSuccess().stdout();
    String digest = "sha256:" + java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(index.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    Map<String, String> outs = outputs(githubOutput);
    assertEquals(List.of("digest", "imageid", "metadata"), List.copyOf(outs.keySet()));
    assertEquals(digest, outs.get("digest"));
    assertEquals(digest, outs.get("imageid")); // two platforms: the index is the image
    JsonNode metadata = JSON.readTree(outs.get("metadata"));
    assertEquals(digest, metadata.get("containerimage.digest").asText());
    assertEquals(reg + "/action-app:1.0," + reg + "/action-app:latest", metadata.get("image.name").asText());

    JsonNode config = JSON.readTree(Processes.run(List.of("skopeo", "--override-arch", "arm64", "inspect", "--config",
        "--tls-verify=false", "docker://" + reg + "/action-app:latest")).assertSuccess().stdout());
    assertEquals("0a1b2c3", config.at("/config/Labels/org.opencontainers.image.revision").asText());
    assertEquals("2026-12-01T15:00:00Z", config.at("/config/Labels/org.opencontainers.image.created").asText());
    assertEquals("https://example.com/app", config.at("/config/Labels/org.opencontainers.image.source").asText());
  }

  @Test
  void aSinglePlatformLocalBuildReportsItsImageId() throws Exception {
    Path workspace = Files.createDirectories(work.resolve("workspace2"));
    Files.writeString(workspace.resolve("Dockerfile"), "FROM scratch\nLABEL a=b\n");
    Path githubOutput = Files.createFile(work.resolve("github-output-2"));
    Processes.Result r = runAction(Map.of("platforms", "linux/amd64", "outputs", "type=oci,dest=out.tar",
        "no-cache", "true", "file", "Dockerfile"), githubOutput, workspace);
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    String commandLine = r.stdout().lines().filter(l -> l.startsWith("jbuild ")).findFirst().orElseThrow();
    assertEquals("jbuild 'build' '--progress=plain' '--iidfile' 'WORK/iid' '--metadata-file' 'WORK/metadata.json'"
        + " '--file' 'Dockerfile' '--platform' 'linux/amd64' '--output' 'type=oci,dest=out.tar' '--no-cache' '.'",
        commandLine.replaceAll("'/tmp/tmp\\.[A-Za-z0-9]+/", "'WORK/"));
    Map<String, String> outs = outputs(githubOutput);
    JsonNode metadata = JSON.readTree(outs.get("metadata"));
    // the default provenance makes the one image an index (image + attestation manifest), whose digest is the id,
    // as buildx reports it: no containerimage.config.digest then
    assertFalse(metadata.has("containerimage.config.digest"), metadata.toString());
    assertEquals("application/vnd.oci.image.index.v1+json", metadata.at("/containerimage.descriptor/mediaType").asText());
    assertEquals(metadata.get("containerimage.digest").asText(), outs.get("imageid"));
    assertEquals(metadata.get("containerimage.digest").asText(), outs.get("digest"));
    assertTrue(Files.isRegularFile(workspace.resolve("out.tar")));
  }
}
