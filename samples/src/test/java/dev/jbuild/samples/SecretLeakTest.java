package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Digest;
import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 5: builds that use every kind of secret at once — a {@code --secret} file and an env
 * secret, registry credentials from {@code jbuild login} against an htpasswd registry, a signing key
 * with a passphrase (from a file and from the environment), {@code --provenance=mode=max} and
 * {@code --sbom} — and then a search of every output for the values and their base64 forms: what
 * the registry stores (layers, configs, manifests, attestations, signatures, the registry cache) and
 * what skopeo fetches from it, the store with its cache records, the local cache export, the oci,
 * tar and local outputs, the processes' temp dirs and /dev/shm, the registry's log, and the
 * stdout/stderr of every command (plain and rawjson progress, verify, attestations, failing builds).
 * The values are random per run, so a hit anywhere can only come from these builds.
 */
class SecretLeakTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String USER = "leaktest";
  private static final String FILE_SECRET = random("file-secret-");
  private static final String ENV_SECRET = random("env-secret-");
  private static final String PASSWORD = random("registry-password-");
  private static final String PASSPHRASE = random("key-passphrase-");

  @TempDir static Path work;
  static TestRegistry registry;
  static Path inputs;
  static Path out;
  static Path store;
  static Path context;
  static Path home;
  static Path tmp;
  static Path keys;
  static Map<String, String> env;
  static final List<Processes.Result> results = new ArrayList<>();

  private static String random(String prefix) {
    byte[] b = new byte[18];
    RANDOM.nextBytes(b);
    return prefix + HexFormat.of().formatHex(b);
  }

  @BeforeAll
  static void start() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireOneOf("runc", "runc", "crun");
    Prerequisites.requireProgram("skopeo", "skopeo");
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    registry = TestRegistry.startWithHtpasswd(USER + ":" + OpenBSDBCrypt.generate("2b", PASSWORD.toCharArray(), salt, 5));
    inputs = Files.createDirectories(work.resolve("inputs"));
    out = Files.createDirectories(work.resolve("out"));
    store = Files.createDirectories(work.resolve("store"));
    home = Files.createDirectories(work.resolve("home"));
    tmp = Files.createDirectories(work.resolve("tmp"));
    keys = work.resolve("keys");
    Files.writeString(inputs.resolve("token"), FILE_SECRET);
    Files.writeString(inputs.resolve("password"), PASSWORD + "\n");
    Files.writeString(inputs.resolve("passphrase"), PASSPHRASE + "\n");
    Files.writeString(inputs.resolve("wrong-password"), PASSWORD.substring(0, PASSWORD.length() - 1) + "x\n");
    context = BusyboxContexts.withRootfs(work.resolve("ctx"), Platform.LINUX_AMD64, "rootfs");
    Files.writeString(context.resolve("Dockerfile"), """
        FROM scratch
        COPY rootfs/ /
        RUN --mount=type=secret,id=token sh -c 'sha256sum /run/secrets/token | cut -c1-64 > /token-sha'
        RUN --mount=type=secret,id=envtok,env=TOKEN sh -c 'printf %s "$TOKEN" | sha256sum | cut -c1-64 > /env-sha'
        RUN --mount=type=cache,id=leak-cache,target=/cache sh -c 'ls /cache > /dev/null; echo cached > /cache/entry'
        """);
    // the jbuild processes' temp files land in a directory this test searches
    env = Map.of("HOME", home.toString(), "LEAK_TOKEN", ENV_SECRET, "LEAK_PASS", PASSPHRASE,
        "JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static Processes.Result jbuild(Path stdin, String... args) {
    Processes.Result r = Cli.jbuildWithStdin(store, env, stdin, args);
    Cli.assertNoStackTrace(r);
    results.add(r);
    return r;
  }

  private static List<String> build(String... extra) {
    List<String> args = new ArrayList<>(List.of("build", "--secret", "id=token,src=" + inputs.resolve("token"),
        "--secret", "id=envtok,env=LEAK_TOKEN"));
    args.addAll(List.of(extra));
    args.add(context.toString());
    return args;
  }

  @Test
  void noSecretInAnyOutput() throws Exception {
    String host = registry.hostPort();
    String image = host + "/leak:1";

    Processes.Result wrongLogin = jbuild(inputs.resolve("wrong-password"), "login", host, "-u", USER, "--password-stdin");
    assertEquals(1, wrongLogin.exitCode(), wrongLogin.stderr());
    jbuild(inputs.resolve("password"), "login", host, "-u", USER, "--password-stdin").assertSuccess();
    jbuild(null, "keygen", "--out", keys.toString(), "--passphrase-env", "LEAK_PASS").assertSuccess();

    // a signed push with attestations, exporting the cache to a directory and to the registry
    jbuild(null, build("--progress=plain", "--push", "-t", image, "--provenance=mode=max", "--sbom=true",
        "--sign", "key=" + keys.resolve("jbuild.key") + ",passphrase-file=" + inputs.resolve("passphrase"),
        "--cache-to", "type=local,dest=" + out.resolve("cache-local") + ",mode=max,cache-mounts=true",
        "--cache-to", "type=registry,ref=" + host + "/leak-cache:1,mode=max",
        "--metadata-file", out.resolve("metadata.json").toString()).toArray(String[]::new)).assertSuccess();
    // the same without the cache, into an OCI archive, to see that the steps really got the secrets
    jbuild(null, build("--progress=rawjson", "--no-cache", "--provenance=mode=max", "--sbom=true",
        "-o", "type=oci,dest=" + out.resolve("image.tar")).toArray(String[]::new)).assertSuccess();
    Path root = OciImages.open(out.resolve("image.tar"), out).rootfs();
    assertEquals(sha256(FILE_SECRET), Files.readString(root.resolve("token-sha")).strip(), "the file secret reached RUN");
    assertEquals(sha256(ENV_SECRET), Files.readString(root.resolve("env-sha")).strip(), "the env secret reached RUN");
    jbuild(null, build("--progress=rawjson", "-o", "type=tar,dest=" + out.resolve("fs.tar")).toArray(String[]::new))
        .assertSuccess();
    jbuild(null, build("--progress=plain", "-o", "type=local,dest=" + out.resolve("fs-local")).toArray(String[]::new))
        .assertSuccess();
    // a second signed push, importing the registry cache, the passphrase from the environment
    jbuild(null, build("--progress=rawjson", "--push", "-t", host + "/leak:2", "--provenance=mode=max", "--sbom=true",
        "--cache-from", "type=registry,ref=" + host + "/leak-cache:1",
        "--sign", "key=" + keys.resolve("jbuild.key") + ",passphrase-env=LEAK_PASS").toArray(String[]::new))
        .assertSuccess();
    jbuild(null, "verify", "--key", keys.resolve("jbuild.pub").toString(), image).assertSuccess();
    jbuild(null, "verify", "--key", keys.resolve("jbuild.pub").toString(), host + "/leak:2").assertSuccess();
    jbuild(null, "attestations", image).assertSuccess();

    // failing builds: a step that uses the secret fails, and a signing passphrase is wrong
    Files.writeString(context.resolve("Dockerfile.fail"), """
        FROM scratch
        COPY rootfs/ /
        RUN --mount=type=secret,id=token,env=TOKEN sh -c 'echo checking the token; test "$TOKEN" = nope'
        """);
    Processes.Result failing = jbuild(null, build("--progress=plain", "-f", context.resolve("Dockerfile.fail").toString())
        .toArray(String[]::new));
    assertEquals(1, failing.exitCode());
    assertTrue(failing.stderr().contains("exit code: 1") || failing.stderr().contains("exit code 1"), failing.stderr());
    Processes.Result failingRaw = jbuild(null, build("--progress=rawjson", "-f",
        context.resolve("Dockerfile.fail").toString()).toArray(String[]::new));
    assertEquals(1, failingRaw.exitCode());
    Processes.Result wrongPass = Cli.jbuildWithStdin(store, Map.of("HOME", home.toString(), "LEAK_PASS", "not-it"), null,
        build("--push", "-t", host + "/leak:3", "--sign", "key=" + keys.resolve("jbuild.key") + ",passphrase-env=LEAK_PASS")
            .toArray(String[]::new));
    results.add(wrongPass);
    assertEquals(1, wrongPass.exitCode());

    // an independent client fetches the pushed index, its images and attestations, and the signature
    Path fetched = Files.createDirectories(out.resolve("skopeo"));
    String creds = USER + ":" + PASSWORD;
    skopeoCopy(creds, image, fetched.resolve("image"), true);
    String index = Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", creds,
        "docker://" + image)).assertSuccess().stdout();
    String sigTag = host + "/leak:sha256-" + Digest.sha256(index.getBytes(StandardCharsets.UTF_8)).hex();
    skopeoCopy(creds, sigTag + ".sig", fetched.resolve("sig"), false);
    skopeoCopy(creds, sigTag + ".att", fetched.resolve("att"), false);

    LeakScanner scanner = new LeakScanner()
        .secret("the --secret file value", FILE_SECRET)
        .secret("the --secret env value", ENV_SECRET)
        .secret("the registry password", PASSWORD)
        .secret("the key passphrase", PASSPHRASE);
    int pemLines = 0;
    for (String line : Files.readAllLines(keys.resolve("jbuild.key"))) {
      if (!line.startsWith("-----") && line.length() >= 32) {
        scanner.literal("line " + ++pemLines + " of the private key's PEM body", line);
      }
    }
    assertTrue(pemLines >= 3, "the encrypted private key has a PEM body");

    List<LeakScanner.Hit> hits = new ArrayList<>();
    for (Processes.Result r : results) {
      hits.addAll(scanner.scanText("stdout of " + String.join(" ", r.command()), r.stdout()));
      hits.addAll(scanner.scanText("stderr of " + String.join(" ", r.command()), r.stderr()));
    }
    Set<Path> sources = Set.of(inputs.resolve("token"), inputs.resolve("password"), inputs.resolve("passphrase"),
        inputs.resolve("wrong-password"), keys.resolve("jbuild.key"), home.resolve(".docker/config.json"));
    Path registryDir = registry.logFile().getParent();
    for (Path tree : List.of(store, out, context, home, tmp, keys, registryDir, Path.of("/dev/shm"))) {
      hits.addAll(scanner.scanTree(tree, sources));
    }
    assertEquals(List.of(), hits.stream().map(LeakScanner.Hit::toString).toList(), "secrets found in outputs");

    // the search finds what is there: the base64 auth in the docker config, and a value a step copies into a layer
    assertEquals(List.of("the registry password (base64, alignment " + (USER.length() + 1) % 3 + ")"),
        scanner.scanTree(home.resolve(".docker"), Set.of()).stream().map(LeakScanner.Hit::needle).toList());
    Files.writeString(context.resolve("Dockerfile.leaky"), """
        FROM scratch
        COPY rootfs/ /
        RUN --mount=type=secret,id=token cp /run/secrets/token /copied-on-purpose
        """);
    Path control = Files.createDirectories(work.resolve("control"));
    jbuild(null, build("-f", context.resolve("Dockerfile.leaky").toString(),
        "-o", "type=oci,dest=" + control.resolve("leaky.tar")).toArray(String[]::new)).assertSuccess();
    List<LeakScanner.Hit> planted = scanner.scanTree(control, Set.of());
    assertTrue(planted.stream().anyMatch(h -> h.needle().equals("the --secret file value")
        && h.where().matches(".*leaky\\.tar!(\\./)?blobs/sha256/[0-9a-f]{64}!gunzip!(\\./)?copied-on-purpose")), planted.toString());

    // the search looked where the secrets would be: every output is there and non-trivial
    for (Path p : List.of(out.resolve("cache-local/index.json"), out.resolve("fs.tar"), out.resolve("fs-local/token-sha"),
        fetched.resolve("image/index.json"), fetched.resolve("sig/index.json"), fetched.resolve("att/index.json"),
        registryDir.resolve("data/docker/registry/v2/repositories/leak-cache"))) {
      assertTrue(Files.exists(p), p + " was written");
    }
    assertTrue(scanner.filesScanned() > 200, "files searched: " + scanner.filesScanned());
    // each secret as given and in three base64 alignments (url-safe forms add more where they differ)
    assertTrue(scanner.needleCount() >= 4 * 4 + pemLines, "needles: " + scanner.needleCount());
    System.out.println("SecretLeakTest: " + scanner.needleCount() + " needles, " + scanner.filesScanned() + " files and "
        + 2 * results.size() + " command outputs searched (with the planted control), 0 leaks");
  }

  private static void skopeoCopy(String creds, String ref, Path dest, boolean all) {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "--src-tls-verify=false", "--src-creds", creds));
    if (all) {
      cmd.add("--all");
    }
    cmd.addAll(List.of("docker://" + ref, "oci:" + dest));
    Processes.run(cmd).assertSuccess();
  }

  private static String sha256(String s) {
    return Digest.sha256(s.getBytes(StandardCharsets.UTF_8)).hex();
  }
}
