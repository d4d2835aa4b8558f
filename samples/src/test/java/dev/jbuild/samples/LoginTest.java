package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jbuild login}/{@code logout} against a registry that demands Basic auth, with the Docker
 * config found through {@code $HOME} (as in a CI container whose HOME is not the passwd home), and
 * through a credential helper named by {@code credsStore}; pushes are checked with skopeo.
 */
class LoginTest {
  static final String USER = "jbuild";
  static final String PASSWORD = "jbuild-s3cret";
  /** bcrypt of PASSWORD, fixed so no tool is needed. */
  static final String HTPASSWD = USER + ":$2b$05$K6t/RK.jaj1cy2OZIn.pEeO6yJZyyCdnIedwCWniWdcLhCQCOIy/S";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path work;
  static TestRegistry registry;
  static Path store;
  static Path context;

  @BeforeAll
  static void start() throws Exception {
    Prerequisites.requireRoot();
    registry = TestRegistry.startWithHtpasswd(HTPASSWD);
    store = Files.createDirectories(work.resolve("store"));
    context = Files.createDirectories(work.resolve("ctx"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY hello /\n");
    Files.writeString(context.resolve("hello"), "hello\n");
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static Path password(String p) throws Exception {
    return Files.writeString(work.resolve("pw-" + p.length()), p + "\n");
  }

  private static Processes.Result jbuild(Map<String, String> env, Path stdin, String... args) {
    Processes.Result r = Cli.jbuildWithStdin(store, env, stdin, args);
    Cli.assertNoStackTrace(r);
    return r;
  }

  private static String skopeoDigest(String ref) {
    return Processes.run(List.of("skopeo", "inspect", "--tls-verify=false", "--creds", USER + ":" + PASSWORD,
        "--format", "{{.Digest}}", "docker://" + ref)).assertSuccess().stdout().strip();
  }

  @Test
  void loginWritesHomeDockerConfigAndPushesUseIt() throws Exception {
    Path home = Files.createDirectories(work.resolve("home"));
    Map<String, String> env = Map.of("HOME", home.toString());
    String host = registry.hostPort();

    Processes.Result wrong = jbuild(env, password("not-it"), "login", host, "-u", USER, "--password-stdin");
    assertEquals(1, wrong.exitCode(), wrong.stderr());
    assertEquals("ERROR: login attempt to http://" + host + "/v2/ failed with status: 401 Unauthorized\n", wrong.stderr());
    assertFalse(Files.exists(home.resolve(".docker/config.json")));

    Processes.Result anonymous = jbuild(env, null, "build", "--progress=plain", "--push", "-t", host + "/app:1", context.toString());
    assertEquals(1, anonymous.exitCode(), anonymous.stderr());
    assertTrue(anonymous.stderr().contains("authentication required for " + host + "/app"), anonymous.stderr());

    Processes.Result login = jbuild(env, password(PASSWORD), "login", host, "-u", USER, "--password-stdin");
    login.assertSuccess();
    assertEquals("Login Succeeded\n", login.stdout());
    Path config = home.resolve(".docker/config.json");
    JsonNode saved = JSON.readTree(config.toFile());
    assertEquals(Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)),
        saved.at("/auths/" + host.replace("/", "~1") + "/auth").asText());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));

    Path iid = work.resolve("metadata.json");
    Processes.Result push = jbuild(env, null, "build", "--progress=plain", "--push", "-t", host + "/app:1",
        "--metadata-file", iid.toString(), context.toString());
    push.assertSuccess();
    assertEquals(JSON.readTree(iid.toFile()).get("containerimage.digest").asText(), skopeoDigest(host + "/app:1"));

    Processes.Result logout = jbuild(env, null, "logout", host);
    logout.assertSuccess();
    assertEquals("Removing login credentials for " + host + "\n", logout.stdout());
    assertFalse(JSON.readTree(config.toFile()).path("auths").has(host));
    Processes.Result again = jbuild(env, null, "logout", host);
    assertEquals("Not logged in to " + host + "\n", again.stdout());
  }

  @Test
  void aCredentialHelperKeepsTheSecret() throws Exception {
    Path bin = Files.createDirectories(work.resolve("bin"));
    Path keychain = Files.createDirectories(work.resolve("keychain"));
    // a credential helper speaking docker's protocol (store/get/erase on stdin), keeping one entry in a file
    Path helper = bin.resolve("docker-credential-jbtest");
    Files.writeString(helper, String.join("\n",
        "#!/bin/sh",
        "f=\"$JBTEST_KEYCHAIN/entry.json\"",
        "case \"$1\" in",
        "  store) cat > \"$f\" ;;",
        "  get) cat >/dev/null; if [ -f \"$f\" ]; then cat \"$f\"; else echo 'credentials not found in native keychain'; exit 1; fi ;;",
        "  erase) cat >/dev/null; if [ -f \"$f\" ]; then rm \"$f\"; else echo 'credentials not found in native keychain'; exit 1; fi ;;",
        "  *) exit 1 ;;",
        "esac", ""));
    helper.toFile().setExecutable(true);
    Path dockerConfig = Files.createDirectories(work.resolve("docker-config"));
    Files.writeString(dockerConfig.resolve("config.json"), "{\"credsStore\":\"jbtest\",\"experimental\":\"enabled\"}");
    Map<String, String> env = new HashMap<>(Map.of("DOCKER_CONFIG", dockerConfig.toString(),
        "PATH", bin + ":" + System.getenv("PATH"), "JBTEST_KEYCHAIN", keychain.toString()));
    String host = registry.hostPort();

    jbuild(env, password(PASSWORD), "login", host, "-u", USER, "--password-stdin").assertSuccess();
    JsonNode entry = JSON.readTree(keychain.resolve("entry.json").toFile());
    assertEquals(host, entry.get("ServerURL").asText());
    assertEquals(USER, entry.get("Username").asText());
    assertEquals(PASSWORD, entry.get("Secret").asText());
    JsonNode config = JSON.readTree(dockerConfig.resolve("config.json").toFile());
    assertEquals("{\"credsStore\":\"jbtest\",\"experimental\":\"enabled\"}", config.toString());

    Path iid = work.resolve("metadata-helper.json");
    jbuild(env, null, "build", "--progress=plain", "--push", "-t", host + "/helper:1", "--metadata-file", iid.toString(),
        context.toString()).assertSuccess();
    assertEquals(JSON.readTree(iid.toFile()).get("containerimage.digest").asText(), skopeoDigest(host + "/helper:1"));

    jbuild(env, null, "logout", host).assertSuccess();
    assertFalse(Files.exists(keychain.resolve("entry.json")));
  }
}
