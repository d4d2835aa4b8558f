package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.oci.Digest;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --provenance=mode=max --sbom} on a two-platform push: the index carries one attestation
 * manifest per platform as BuildKit lays it out (read with skopeo, blobs fetched from the registry
 * over plain HTTP), the statements say exactly what was built from what, and
 * {@code jbuild attestations} prints them back.
 */
@ExtendWith(RegistryExtension.class)
class AttestationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path work;

  static String raw(String ref) {
    return Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref))
        .assertSuccess().stdout();
  }

  static byte[] blob(String hostPort, String repo, String digest) throws Exception {
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://" + hostPort + "/v2/" + repo + "/blobs/" + digest)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals(digest, Digest.sha256(r.body()).toString());
    return r.body();
  }

  /** A context whose image lists packages in every catalog the SBOM reads, committed to git. */
  static Path context(Path dir, String base) throws Exception {
    Path ctx = Files.createDirectories(dir.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + base + "\n"
        + "COPY status /var/lib/dpkg/status\n"
        + "COPY installed /lib/apk/db/installed\n"
        + "COPY app/ /app/\n"
        + "COPY METADATA /usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA\n");
    Files.writeString(ctx.resolve("status"), "Package: busybox-static\nStatus: install ok installed\n"
        + "Architecture: amd64\nVersion: 1:1.35.0-4+b3\nDescription: tiny\n multi-line\n\n"
        + "Package: removed-one\nStatus: deinstall ok config-files\nVersion: 2.0\n\n"
        + "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9+deb12u4\n");
    Files.writeString(ctx.resolve("installed"), "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\n\nP:zlib\nV:1.3.1-r0\nA:x86_64\n");
    Path app = Files.createDirectories(ctx.resolve("app"));
    Files.writeString(app.resolve("package-lock.json"), "{\"name\":\"app\",\"lockfileVersion\":3,\"packages\":{"
        + "\"\":{\"name\":\"app\",\"version\":\"1.0.0\"},"
        + "\"node_modules/express\":{\"version\":\"4.19.2\"},"
        + "\"node_modules/@types/node\":{\"version\":\"20.11.5\"}}}");
    Files.writeString(app.resolve("go.sum"), "golang.org/x/text v0.14.0 h1:ScX5w1eTa3QqT8oi6+ziP7dTV1S2+ALU0bI+0zXKWiQ=\n"
        + "golang.org/x/text v0.14.0/go.mod h1:18ZOQIKpY8NJVqYksKHtTdi31H5itFRjB5/qKTNYzSU=\n");
    Files.writeString(ctx.resolve("METADATA"), "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n\nbody text\n");
    git(ctx, "init", "-q");
    git(ctx, "add", "-A");
    git(ctx, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "context");
    return ctx;
  }

  static String git(Path dir, String... args) {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    return Processes.run(cmd).assertSuccess().stdout().strip();
  }

  @Test
  void provenanceAndSbomAreAttachedPerPlatform(TestRegistry registry) throws Exception {
    Prerequisites.requireProgram("skopeo", "skopeo");
    Prerequisites.requireProgram("git", "git");
    String host = registry.hostPort();
    Path ctx = context(work, registry.busybox());
    String commit = git(ctx, "rev-parse", "HEAD");
    Path store = Files.createDirectories(work.resolve("store"));
    Processes.Result r = Cli.jbuild(store, "build", "--platform", "linux/amd64,linux/arm64", "--progress=plain",
        "--provenance=mode=max", "--sbom", "--build-arg", "FLAVOUR=plain", "-t", host + "/att:1", "--push",
        ctx.toString());
    r.assertSuccess();
    Cli.assertNoStackTrace(r);

    JsonNode index = JSON.readTree(raw(host + "/att:1"));
    JsonNode entries = index.get("manifests");
    assertEquals(4, entries.size(), index.toString());
    JsonNode baseIndex = JSON.readTree(raw(registry.busybox()));
    // what the blobs hold, fetched over HTTP, per platform as imagetools keys it (variant included)
    ObjectNode provenanceBlobs = JSON.createObjectNode();
    ObjectNode sbomBlobs = JSON.createObjectNode();
    ObjectNode configs = JSON.createObjectNode();
    for (int i = 0; i < 2; i++) {
      JsonNode image = entries.get(i);
      JsonNode att = entries.get(2 + i);
      String platform = image.get("platform").get("os").asText() + "/" + image.get("platform").get("architecture").asText();
      assertEquals("unknown", att.get("platform").get("os").asText());
      assertEquals("unknown", att.get("platform").get("architecture").asText());
      assertEquals("attestation-manifest", att.get("annotations").get("vnd.docker.reference.type").asText());
      assertEquals(image.get("digest").asText(), att.get("annotations").get("vnd.docker.reference.digest").asText());
      JsonNode manifest = JSON.readTree(raw(host + "/att@" + att.get("digest").asText()));
      JsonNode layers = manifest.get("layers");
      assertEquals(2, layers.size());
      assertEquals("application/vnd.in-toto+json", layers.get(0).get("mediaType").asText());
      assertEquals("https://slsa.dev/provenance/v1", layers.get(0).get("annotations").get("in-toto.io/predicate-type").asText());
      assertEquals("https://spdx.dev/Document", layers.get(1).get("annotations").get("in-toto.io/predicate-type").asText());

      JsonNode prov = JSON.readTree(blob(host, "att", layers.get(0).get("digest").asText()));
      String key = platform + (image.get("platform").has("variant") ? "/" + image.get("platform").get("variant").asText() : "");
      provenanceBlobs.putObject(key).set("SLSA", prov.get("predicate"));
      configs.set(key, JSON.readTree(Processes.run(List.of("skopeo", "inspect", "--config", "--raw", "--tls-verify=false",
          "docker://" + host + "/att@" + image.get("digest").asText())).assertSuccess().stdout()));
      assertEquals("https://in-toto.io/Statement/v0.1", prov.get("_type").asText());
      assertEquals("https://slsa.dev/provenance/v1", prov.get("predicateType").asText());
      JsonNode subject = prov.get("subject").get(0);
      assertEquals("pkg:docker/" + host + "/att:1?platform=" + platform.replace("/", "%2F"), subject.get("name").asText());
      assertEquals(image.get("digest").asText(), "sha256:" + subject.get("digest").get("sha256").asText());
      JsonNode def = prov.get("predicate").get("buildDefinition");
      assertEquals("https://jbuild.dev/provenance/dockerfile/v1", def.get("buildType").asText());
      JsonNode request = def.get("externalParameters").get("request");
      assertEquals(platform, request.get("platform").asText());
      assertEquals("plain", request.get("args").get("build-arg:FLAVOUR").asText());
      assertEquals("Dockerfile", request.get("args").get("filename").asText());
      assertEquals(commit, def.get("externalParameters").get("configSource").get("digest").get("sha1").asText());
      String baseDigest = baseIndex.get("manifests").get(i).get("digest").asText();
      JsonNode deps = def.get("resolvedDependencies");
      assertEquals(2, deps.size(), deps.toString());
      assertEquals("pkg:docker/" + registry.busybox().replaceFirst(":[^:/]+$", "") + "@" + baseDigest
          + "?platform=" + platform.replace("/", "%2F"), deps.get(0).get("uri").asText());
      assertEquals(baseDigest, "sha256:" + deps.get(0).get("digest").get("sha256").asText());
      assertEquals(commit, deps.get(1).get("digest").get("sha1").asText());
      assertEquals(Files.readString(ctx.resolve("Dockerfile")),
          def.get("internalParameters").get("dockerfile").get("content").asText());
      assertEquals(5, def.get("internalParameters").get("buildConfig").get("steps").size(), "FROM and four COPYs");
      assertEquals("max", prov.get("predicate").get("runDetails").get("metadata").get("jbuild").get("mode").asText());

      JsonNode sbom = JSON.readTree(blob(host, "att", layers.get(1).get("digest").asText()));
      sbomBlobs.putObject(key).set("SPDX", sbom.get("predicate"));
      assertEquals("https://spdx.dev/Document", sbom.get("predicateType").asText());
      JsonNode doc = sbom.get("predicate");
      assertEquals("SPDX-2.3", doc.get("spdxVersion").asText());
      assertEquals("https://jbuild.dev/spdx/" + image.get("digest").asText().substring(7), doc.get("documentNamespace").asText());
      TreeSet<String> purls = new TreeSet<>();
      for (JsonNode p : doc.get("packages")) {
        purls.add(p.get("externalRefs").get(0).get("referenceLocator").asText());
      }
      assertEquals(new TreeSet<>(List.of(
          "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64",
          "pkg:apk/alpine/zlib@1.3.1-r0?arch=x86_64",
          "pkg:deb/debian/busybox-static@1%3A1.35.0-4%2Bb3?arch=amd64",
          "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64",
          "pkg:golang/golang.org/x/text@v0.14.0",
          "pkg:npm/%40types/node@20.11.5",
          "pkg:npm/express@4.19.2",
          "pkg:pypi/requests@2.31.0")), purls);
      assertEquals(8, doc.get("relationships").size());
    }

    assertEquals(List.of("linux/amd64", "linux/arm64/v8"), iterable(provenanceBlobs.fieldNames()));

    // imagetools inspect --format, as buildx: per platform {"SLSA": predicate} and {"SPDX": document}
    String ref = host + "/att:1";
    assertEquals(provenanceBlobs, inspect(store, ref, "{{json .Provenance}}"));
    assertEquals(sbomBlobs, inspect(store, ref, "{{json .SBOM}}"));
    assertEquals(sbomBlobs.get("linux/amd64").get("SPDX"), inspect(store, ref, "{{json (index .SBOM \"linux/amd64\").SPDX}}"));
    assertEquals(provenanceBlobs.get("linux/arm64/v8"), inspect(store, ref, "{{json (index .Provenance \"linux/arm64/v8\")}}"));
    assertEquals(index, inspect(store, ref, "{{json .Manifest}}"));
    assertEquals(configs, inspect(store, ref, "{{json .Image}}"));
    Processes.Result plain = Cli.jbuild(store, "imagetools", "inspect", "--format",
        "{{.Name}} {{.Manifest.MediaType}} {{(index .Provenance \"linux/amd64\").SLSA.buildDefinition.buildType}}", ref);
    plain.assertSuccess();
    assertEquals(ref + " application/vnd.oci.image.index.v1+json https://jbuild.dev/provenance/dockerfile/v1\n", plain.stdout());
    Processes.Result unsupported = Cli.jbuild(store, "imagetools", "inspect", "--format",
        "{{range .Manifest.manifests}}{{.digest}}{{end}}", ref);
    assertEquals(2, unsupported.exitCode(), unsupported.describe("unsupported template"));
    assertEquals("ERROR: --format: unsupported template action {{range .Manifest.manifests}} (supported: {{.Field}},"
        + " {{json .Field}}, {{json (index .Field \"KEY\").Field}})\n", unsupported.stderr());
    assertEquals("", unsupported.stdout());

    Processes.Result shown = Cli.jbuild(store, "attestations", "--type", "sbom", host + "/att:1");
    shown.assertSuccess();
    JsonNode printed = JSON.readTree(shown.stdout());
    assertEquals(new TreeSet<>(List.of("linux/amd64", "linux/arm64")), new TreeSet<>(iterable(printed.fieldNames())));
    assertEquals("SPDX-2.3", printed.get("linux/arm64").get("sbom").get("spdxVersion").asText());
    Processes.Result none = Cli.jbuild(store, "attestations", registry.busybox());
    assertEquals(1, none.exitCode());
    assertTrue(none.stderr().contains("no attestations"), none.stderr());
    Cli.assertNoStackTrace(none);
  }

  @Test
  void aPushGetsMinProvenanceByDefaultAsWithBuildx(TestRegistry registry) throws Exception {
    String host = registry.hostPort();
    Path ctx = Files.createDirectories(work.resolve("small"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + registry.busybox() + "\nCOPY a /a\n");
    Files.writeString(ctx.resolve("a"), "a\n");
    Path store = Files.createDirectories(work.resolve("store"));
    Cli.jbuild(store, "build", "--platform", "linux/arm64", "--progress=plain", "-t", host + "/dflt:1", "--push",
        ctx.toString()).assertSuccess();

    // one platform: an index of the image and its attestation manifest, holding the provenance alone
    JsonNode index = JSON.readTree(raw(host + "/dflt:1"));
    assertEquals("application/vnd.oci.image.index.v1+json", index.get("mediaType").asText());
    JsonNode image = AttestationEntries.imagesThenAttestations(index, 1).get(0);
    JsonNode layers = JSON.readTree(raw(host + "/dflt@" + index.get("manifests").get(1).get("digest").asText())).get("layers");
    assertEquals(1, layers.size());
    JsonNode statement = JSON.readTree(blob(host, "dflt", layers.get(0).get("digest").asText()));
    assertEquals("https://slsa.dev/provenance/v1", statement.get("predicateType").asText());
    assertEquals("min", statement.at("/predicate/runDetails/metadata/jbuild/mode").asText());
    assertEquals(image.get("digest").asText(), "sha256:" + statement.at("/subject/0/digest/sha256").asText());
    assertTrue(statement.at("/predicate/buildDefinition/internalParameters/dockerfile").isMissingNode(), "min: no Dockerfile");

    // a one-image index: buildx's single-platform shapes, not maps
    String ref = host + "/dflt:1";
    JsonNode slsa = JSON.createObjectNode().set("SLSA", statement.get("predicate"));
    assertEquals(slsa, inspect(store, ref, "{{json .Provenance}}"));
    assertEquals(JSON.createObjectNode(), inspect(store, ref, "{{json .SBOM}}"));
    assertEquals(JSON.readTree(Processes.run(List.of("skopeo", "inspect", "--config", "--raw", "--tls-verify=false",
        "docker://" + host + "/dflt@" + image.get("digest").asText())).assertSuccess().stdout()),
        inspect(store, ref, "{{json .Image}}"));

    // turned off by the flag or the environment: the lone image manifest, the same one
    Cli.jbuild(store, "build", "--platform", "linux/arm64", "--progress=plain", "-t", host + "/dflt:off", "--push",
        "--provenance=false", ctx.toString()).assertSuccess();
    Cli.jbuild(store, Map.of("BUILDX_NO_DEFAULT_ATTESTATIONS", "1"), "build", "--platform", "linux/arm64",
        "--progress=plain", "-t", host + "/dflt:env", "--push", ctx.toString()).assertSuccess();
    for (String tag : List.of("off", "env")) {
      String lone = raw(host + "/dflt:" + tag);
      assertEquals("application/vnd.oci.image.manifest.v1+json", JSON.readTree(lone).get("mediaType").asText());
      assertEquals(image.get("digest").asText(), Digest.sha256(lone.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
    }
  }

  private static JsonNode inspect(Path store, String ref, String format) throws Exception {
    Processes.Result r = Cli.jbuild(store, "imagetools", "inspect", "--format", format, ref);
    r.assertSuccess();
    Cli.assertNoStackTrace(r);
    return JSON.readTree(r.stdout());
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
