package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.oci.Digest;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keygen}, {@code build --sign} and {@code verify} against a real registry: a signed
 * two-platform push with provenance verifies; another key, a re-tagged image and a signature
 * copied to another image are each rejected with a clear message; the private key and its
 * passphrase appear in no output, log, store file or registry blob.
 */
@ExtendWith(RegistryExtension.class)
class SigningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSPHRASE = "s3cret-passphrase-for-the-test-key";
  @TempDir Path work;

  @Test
  void signedPushVerifiesAndTamperingIsRejected(TestRegistry registry) throws Exception {
    Prerequisites.requireProgram("skopeo", "skopeo");
    Prerequisites.requireProgram("git", "git");
    String host = registry.hostPort();
    Path store = Files.createDirectories(work.resolve("store"));
    Path keys = work.resolve("keys");
    Map<String, String> env = Map.of("TEST_PASS", PASSPHRASE);
    List<Processes.Result> all = new ArrayList<>();

    Processes.Result keygen = run(all, store, env, "keygen", "--out", keys.toString(), "--passphrase-env", "TEST_PASS");
    keygen.assertSuccess();
    assertEquals(keys.resolve("jbuild.key") + "\n" + keys.resolve("jbuild.pub"), keygen.stdout().strip());
    Path other = work.resolve("other");
    run(all, store, Map.of(), "keygen", "--type", "ed25519", "--out", other.toString()).assertSuccess();

    Path ctx = AttestationsTest.context(work, registry.busybox());
    String image = host + "/signed:1";
    Processes.Result wrongPass = run(all, store, Map.of("TEST_PASS", "nope"), "build", "--push", "-t", image,
        "--sign", "key=" + keys.resolve("jbuild.key") + ",passphrase-env=TEST_PASS", ctx.toString());
    assertEquals(1, wrongPass.exitCode());
    assertEquals("ERROR: --sign: " + keys.resolve("jbuild.key") + ": wrong passphrase for the private key\n",
        wrongPass.stderr());

    Processes.Result build = run(all, store, env, "build", "--platform", "linux/amd64,linux/arm64", "--progress=plain",
        "--provenance", "--push", "-t", image,
        "--sign", "key=" + keys.resolve("jbuild.key") + ",passphrase-env=TEST_PASS", ctx.toString());
    build.assertSuccess();
    String index = AttestationsTest.raw(image);
    Digest digest = Digest.sha256(index.getBytes(StandardCharsets.UTF_8));

    // the cosign layout, read by skopeo
    JsonNode sig = JSON.readTree(AttestationsTest.raw(host + "/signed:sha256-" + digest.hex() + ".sig"));
    JsonNode layer = sig.get("layers").get(0);
    assertEquals("application/vnd.dev.cosign.simplesigning.v1+json", layer.get("mediaType").asText());
    assertTrue(layer.get("annotations").has("dev.cosignproject.cosign/signature"));
    JsonNode payload = JSON.readTree(AttestationsTest.blob(host, "signed", layer.get("digest").asText()));
    assertEquals(digest.toString(), payload.get("critical").get("image").get("docker-manifest-digest").asText());
    assertEquals(host + "/signed", payload.get("critical").get("identity").get("docker-reference").asText());
    JsonNode att = JSON.readTree(AttestationsTest.raw(host + "/signed:sha256-" + digest.hex() + ".att"));
    assertEquals(2, att.get("layers").size());
    assertEquals("application/vnd.dsse.envelope.v1+json", att.get("layers").get(0).get("mediaType").asText());

    Processes.Result ok = run(all, store, Map.of(), "verify", "--key", keys.resolve("jbuild.pub").toString(), image);
    ok.assertSuccess();
    assertEquals("Verified " + host + "/signed@" + digest + ": 1 signature by " + keys.resolve("jbuild.pub")
        + "; signed attestations: https://slsa.dev/provenance/v1, https://slsa.dev/provenance/v1", ok.stdout().strip());

    Processes.Result otherKey = run(all, store, Map.of(), "verify", "--key", other.resolve("jbuild.pub").toString(), image);
    assertEquals(1, otherKey.exitCode());
    assertEquals("ERROR: verification failed: " + host + "/signed@" + digest
        + ": no valid signature: a signature does not match the key\n", otherKey.stderr());

    // tampered image: the tag now names another (unsigned) index
    run(all, store, env, "build", "--platform", "linux/amd64,linux/arm64", "--label", "tampered=yes", "--push",
        "-t", image, ctx.toString()).assertSuccess();
    Digest tampered = Digest.sha256(AttestationsTest.raw(image).getBytes(StandardCharsets.UTF_8));
    Processes.Result unsigned = run(all, store, Map.of(), "verify", "--key", keys.resolve("jbuild.pub").toString(), image);
    assertEquals(1, unsigned.exitCode());
    assertEquals("ERROR: verification failed: " + host + "/signed@" + tampered + " is not signed (no sha256-"
        + tampered.hex() + ".sig in the repository)\n", unsigned.stderr());

    // tampered signature: the genuine signature copied onto the other image
    Processes.run(List.of("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
        "docker://" + host + "/signed:sha256-" + digest.hex() + ".sig",
        "docker://" + host + "/signed:sha256-" + tampered.hex() + ".sig")).assertSuccess();
    Processes.Result copied = run(all, store, Map.of(), "verify", "--key", keys.resolve("jbuild.pub").toString(), image);
    assertEquals(1, copied.exitCode());
    assertEquals("ERROR: verification failed: " + host + "/signed@" + tampered + ": no valid signature: a signature is for "
        + digest + ", not this image\n", copied.stderr());
    // the signed image itself still verifies by digest
    run(all, store, Map.of(), "verify", "--key", keys.resolve("jbuild.pub").toString(), host + "/signed@" + digest)
        .assertSuccess();

    assertNoKeyMaterial(all, List.of(store, ctx, registry.logFile().getParent()), keys.resolve("jbuild.key"));
  }

  private static Processes.Result run(List<Processes.Result> all, Path store, Map<String, String> env, String... args) {
    Processes.Result r = Cli.jbuild(store, env, args);
    Cli.assertNoStackTrace(r);
    all.add(r);
    return r;
  }

  /** Neither the passphrase (nor its base64 forms) nor any line of the private key's PEM body appears in any output or file. */
  static void assertNoKeyMaterial(List<Processes.Result> outputs, List<Path> trees, Path privateKey) throws Exception {
    LeakScanner scanner = new LeakScanner().secret("the passphrase", PASSPHRASE);
    int pemLines = 0;
    for (String line : Files.readAllLines(privateKey)) {
      if (!line.startsWith("-----") && line.length() >= 32) {
        scanner.literal("line " + ++pemLines + " of the private key's PEM body", line);
      }
    }
    assertTrue(pemLines >= 3, "the key has a PEM body");
    List<LeakScanner.Hit> hits = new ArrayList<>();
    for (Processes.Result r : outputs) {
      hits.addAll(scanner.scanText("stdout of " + r.command(), r.stdout()));
      hits.addAll(scanner.scanText("stderr of " + r.command(), r.stderr()));
    }
    for (Path tree : trees) {
      hits.addAll(scanner.scanTree(tree, java.util.Set.of()));
    }
    assertEquals(List.of(), hits.stream().map(LeakScanner.Hit::toString).toList(), "key material in outputs");
    assertTrue(scanner.filesScanned() > 10, "the store, context and registry were searched");
  }
}
