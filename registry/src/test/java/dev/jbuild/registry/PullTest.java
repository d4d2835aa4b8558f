package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.BaseImages;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RegistryExtension.class)
class PullTest {
  // No credentials: the tests must not depend on (or read) the real ~/.docker/config.json.
  final RegistryClient client = RegistryClient.create(RegistryConfig.defaults().withoutCredentials());

  static byte[] skopeoRaw(String ref) {
    return Processes.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref))
        .assertSuccess().stdout().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void fetchesTheIndexWithExactBytes(TestRegistry registry) throws Exception {
    ImageReference ref = ImageReference.parse(registry.busybox());
    FetchedManifest index = client.fetchManifest(ref);
    assertEquals(MediaTypes.OCI_INDEX, index.mediaType());
    assertTrue(index.isIndex());
    assertArrayEquals(skopeoRaw(registry.busybox()), index.bytes(), "same bytes as skopeo sees");
    assertEquals(Digest.sha256(index.bytes()), index.digest());
    // the layout the registry was filled from names the same digest
    String layoutIndex = Files.readString(BaseImages.ociLayout().resolve("index.json"));
    assertTrue(layoutIndex.contains(index.digest().toString()), layoutIndex);
    assertEquals(index, client.fetchManifest(ref.withTag("latest")), "latest is the same index");
    assertEquals(index, client.fetchManifest(ref.pinned(index.digest())), "fetch by digest");
  }

  @Test
  void fetchesEveryPlatformsManifestConfigAndLayerVerified(TestRegistry registry, @TempDir Path tmp) throws Exception {
    ImageReference ref = ImageReference.parse(registry.busybox());
    ImageIndex index = ImageIndex.parse(client.fetchManifest(ref).bytes());
    assertEquals(2, index.manifests().size());
    for (Descriptor entry : index.manifests()) {
      FetchedManifest m = client.fetchManifest(ref.pinned(entry.digestValue()));
      assertEquals(entry.digestValue(), m.digest());
      assertEquals(entry.size(), m.bytes().length);
      assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
      Manifest manifest = Manifest.parse(m.bytes());

      Path configFile = tmp.resolve(entry.platform().architecture() + "/config.json");
      client.fetchBlob(ref, manifest.config().digestValue(), configFile);
      byte[] configBytes = Files.readAllBytes(configFile);
      assertEquals(manifest.config().digestValue(), Digest.sha256(configBytes));
      assertArrayEquals(configBytes, client.fetchBlobBytes(ref, manifest.config().digestValue(), 1 << 20));
      ImageConfig config = ImageConfig.parse(configBytes);
      assertEquals(entry.platform().architecture(), config.architecture());

      Descriptor layer = manifest.layers().get(0);
      Path layerFile = tmp.resolve(entry.platform().architecture() + "/layer.tar.gz");
      client.fetchBlob(ref, layer.digestValue(), layerFile);
      assertEquals(layer.size(), Files.size(layerFile));
      try (InputStream in = Files.newInputStream(layerFile)) {
        assertEquals(layer.digestValue(), Digest.sha256(in));
      }
      Path expected = BaseImages.layer(entry.platform().toPlatform());
      assertEquals(Files.mismatch(expected, layerFile), -1L, "the layer equals the base image's");
      try (var files = Files.list(layerFile.getParent())) {
        assertEquals(2, files.count(), "no temporary files are left beside the blobs");
      }
      assertTrue(client.hasBlob(ref, layer.digestValue()));
    }
  }

  @Test
  void unknownRepositoryTagAndBlobAreClearErrors(TestRegistry registry, @TempDir Path tmp) {
    String host = registry.hostPort();
    RegistryException repo = assertThrows(RegistryException.class,
        () -> client.fetchManifest(ImageReference.parse(host + "/nope:1")));
    assertEquals(RegistryException.Kind.NOT_FOUND, repo.kind());
    assertEquals(host + "/nope:1: not found in the registry (manifest unknown)", repo.getMessage());

    RegistryException tag = assertThrows(RegistryException.class,
        () -> client.fetchManifest(ImageReference.parse(host + "/busybox:nope")));
    assertEquals(RegistryException.Kind.NOT_FOUND, tag.kind());
    assertEquals(host + "/busybox:nope: not found in the registry (manifest unknown)", tag.getMessage());

    Digest missing = Digest.sha256("no such blob".getBytes(StandardCharsets.UTF_8));
    ImageReference busybox = ImageReference.parse(registry.busybox());
    RegistryException blob = assertThrows(RegistryException.class,
        () -> client.fetchBlob(busybox, missing, tmp.resolve("blob")));
    assertEquals(RegistryException.Kind.NOT_FOUND, blob.kind());
    assertEquals(host + "/busybox@" + missing + ": not found in the registry (blob unknown to registry)", blob.getMessage());
    assertFalse(Files.exists(tmp.resolve("blob")));
    assertFalse(assertDoesNotThrowRegistry(() -> client.hasBlob(busybox, missing)));
  }

  @Test
  void unreachableRegistryIsAClearError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    long start = System.nanoTime();
    RegistryException e = assertThrows(RegistryException.class,
        () -> client.fetchManifest(ImageReference.parse("127.0.0.1:" + port + "/busybox:1")));
    assertEquals(RegistryException.Kind.UNREACHABLE, e.kind());
    assertEquals("cannot reach 127.0.0.1:" + port + ": connection refused", e.getMessage());
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused connections are not retried for long");
  }

  @Test
  void mirrorsAreTriedBeforeTheRegistry(TestRegistry registry) throws Exception {
    // docker.io is unreachable here; the local registry stands in for it as a mirror
    ImageReference hub = ImageReference.parse("busybox:" + BaseImages.tag());
    RegistryClient mirrored = RegistryClient.create(RegistryConfig.defaults().withoutCredentials()
        .withMirrors("docker.io", List.of(registry.hostPort())));
    // the mirror holds it under library/busybox once copied there
    Processes.run(List.of("skopeo", "copy", "--all", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false",
        "docker://" + registry.busybox(), "docker://" + registry.hostPort() + "/library/busybox:" + BaseImages.tag()))
        .assertSuccess();
    FetchedManifest viaMirror = mirrored.fetchManifest(hub);
    assertEquals(client.fetchManifest(ImageReference.parse(registry.busybox())), viaMirror);
    ResolvedImage resolved = new ImageResolver(mirrored).resolve(hub, Platform.LINUX_ARM64);
    assertEquals("docker.io/library/busybox@" + resolved.manifestDigest(), resolved.ref().toString());
  }

  interface RegistryCall<T> {
    T call() throws RegistryException;
  }

  static <T> T assertDoesNotThrowRegistry(RegistryCall<T> c) {
    try {
      return c.call();
    } catch (RegistryException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
