package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A second docker-registry that demands Basic auth (htpasswd), with credentials from a Docker config. */
@ExtendWith(RegistryExtension.class)
class BasicAuthTest {
  static final String USER = "jbuild";
  static final String PASSWORD = "jbuild-s3cret";
  /** bcrypt of PASSWORD (docker-registry's htpasswd accepts only bcrypt); fixed so no tool is needed. */
  static final String HTPASSWD = USER + ":$2b$05$K6t/RK.jaj1cy2OZIn.pEeO6yJZyyCdnIedwCWniWdcLhCQCOIy/S\n";

  static TestRegistry registry;
  static String host;

  @BeforeAll
  static void startAuthenticatedRegistry() {
    registry = TestRegistry.startWithHtpasswd(HTPASSWD.strip());
    host = registry.hostPort();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  static Path dockerConfig(Path tmp, String user, String password) throws IOException {
    String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Path file = tmp.resolve("docker-config-" + user + "-" + password.length() + ".json");
    Files.writeString(file, "{\"auths\":{\"" + host + "\":{\"auth\":\"" + auth + "\"}}}");
    return file;
  }

  @Test
  void pushesAndPullsWithCredentialsFromADockerConfig(TestRegistry shared, @TempDir Path tmp) throws Exception {
    RegistryClient anonymous = RegistryClient.create(RegistryConfig.defaults().withoutCredentials());
    ImageReference source = ImageReference.parse(shared.busybox());
    ResolvedImage image = new ImageResolver(anonymous).resolve(source, Platform.LINUX_AMD64);

    RegistryClient client = RegistryClient.create(RegistryConfig.defaults().withDockerConfigFile(dockerConfig(tmp, USER, PASSWORD)));
    ImageReference target = ImageReference.parse(host + "/busybox:1");
    List<Descriptor> blobs = new ArrayList<>(image.parsedManifest().layers());
    blobs.add(image.parsedManifest().config());
    for (Descriptor blob : blobs) {
      Path file = tmp.resolve(blob.digestValue().hex());
      anonymous.fetchBlob(source, blob.digestValue(), file);
      // a mount source on another registry is ignored: the blob is uploaded
      client.pushBlob(target, blob.digestValue(), blob.size(), BlobSource.of(file), Optional.of(source));
      assertTrue(client.hasBlob(target, blob.digestValue()));
    }
    client.pushManifest(target, "1", image.manifest().bytes(), image.manifest().mediaType());

    assertArrayEquals(image.manifest().bytes(), client.fetchManifest(target).bytes());
    assertEquals(image.manifestDigest(), new ImageResolver(client).resolve(target, Platform.LINUX_AMD64).manifestDigest());
    byte[] skopeo = Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
        "--creds", USER + ":" + PASSWORD, "docker://" + target)).assertSuccess().stdout().getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(image.manifest().bytes(), skopeo);

    // without credentials: a clear request to log in
    RegistryException noCreds = assertThrows(RegistryException.class, () -> anonymous.fetchManifest(target));
    assertEquals(RegistryException.Kind.UNAUTHORIZED, noCreds.kind());
    assertEquals("authentication required for " + target
        + ": log in with docker login / add credentials to ~/.docker/config.json", noCreds.getMessage());
  }

  @Test
  void wrongPasswordIsReportedWithoutShowingIt(@TempDir Path tmp) throws Exception {
    String wrong = "not-the-password-42";
    Path config = dockerConfig(tmp, USER, wrong);
    RegistryClient client = RegistryClient.create(RegistryConfig.defaults().withDockerConfigFile(config));
    ImageReference target = ImageReference.parse(host + "/busybox:1");
    RegistryException e = assertThrows(RegistryException.class, () -> client.fetchManifest(target));
    assertEquals(RegistryException.Kind.UNAUTHORIZED, e.kind());
    assertTrue(e.getMessage().startsWith("authentication failed for " + target + ": the registry " + host
        + " rejected the credentials from " + config), e.getMessage());
    assertFalse(e.getMessage().contains(wrong));
    assertFalse(e.getMessage().contains(Base64.getEncoder().encodeToString((USER + ":" + wrong).getBytes(StandardCharsets.UTF_8))));
  }
}
