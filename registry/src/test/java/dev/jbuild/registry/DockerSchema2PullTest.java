package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.oci.PlatformSpec;
import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker schema 2 manifests and manifest lists resolve like OCI ones; an amd64 request never falls
 * back to a 386 image (it takes one only when linux/386 is asked for); a resolution is reused
 * from the cache until {@code pull}.
 */
@ExtendWith(RegistryExtension.class)
class DockerSchema2PullTest {
  final RegistryClient client = RegistryClient.create(RegistryConfig.defaults().withoutCredentials());

  /** Copies busybox into {@code repo} with Docker media types; returns the list's entries by architecture. */
  private Map<String, Descriptor> pushDockerList(TestRegistry registry, String repo, Map<String, PlatformSpec> platforms)
      throws Exception {
    ImageReference busybox = ImageReference.parse(registry.busybox());
    ImageReference target = ImageReference.parse(registry.hostPort() + "/" + repo + ":1");
    ImageIndex index = ImageIndex.parse(client.fetchManifest(busybox).bytes());
    List<Descriptor> entries = new ArrayList<>();
    Map<String, Descriptor> byArch = new java.util.LinkedHashMap<>();
    for (Descriptor d : index.manifests()) {
      PlatformSpec spec = platforms.get(d.platform().architecture());
      if (spec == null) {
        continue;
      }
      Manifest oci = Manifest.parse(client.fetchManifest(busybox.pinned(d.digestValue())).bytes());
      List<Descriptor> layers = new ArrayList<>();
      for (Descriptor l : oci.layers()) {
        layers.add(new Descriptor(MediaTypes.DOCKER_LAYER_GZIP, l.digest(), l.size(), Map.of(), null));
        client.pushBlob(target, l.digestValue(), l.size(), () -> { throw new AssertionError("mounted, not sent"); },
            Optional.of(busybox));
      }
      Descriptor config = new Descriptor(MediaTypes.DOCKER_CONFIG, oci.config().digest(), oci.config().size(), Map.of(), null);
      client.pushBlob(target, config.digestValue(), config.size(), () -> { throw new AssertionError("mounted"); },
          Optional.of(busybox));
      byte[] bytes = new Manifest(2, MediaTypes.DOCKER_MANIFEST, config, layers, Map.of()).toBytes();
      Digest digest = client.pushManifest(target, Digest.sha256(bytes).toString(), bytes, MediaTypes.DOCKER_MANIFEST);
      Descriptor entry = Descriptor.of(MediaTypes.DOCKER_MANIFEST, digest, bytes.length).withPlatform(spec);
      entries.add(entry);
      byArch.put(spec.architecture(), entry);
    }
    byte[] list = new ImageIndex(2, MediaTypes.DOCKER_MANIFEST_LIST, entries, Map.of()).toBytes();
    client.pushManifest(target, "1", list, MediaTypes.DOCKER_MANIFEST_LIST);
    return byArch;
  }

  @Test
  void resolvesEachPlatformOfADockerManifestList(TestRegistry registry) throws Exception {
    Map<String, Descriptor> entries = pushDockerList(registry, "dockerlist",
        Map.of("amd64", new PlatformSpec("amd64", "linux", null), "arm64", new PlatformSpec("arm64", "linux", "v8")));
    ImageReference ref = ImageReference.parse(registry.hostPort() + "/dockerlist:1");
    assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, client.fetchManifest(ref).mediaType());
    for (String p : List.of("linux/amd64", "linux/arm64")) {
      ResolvedImage image = new ImageResolver(client).resolve(ref, Platform.parse(p));
      Descriptor expected = entries.get(Platform.parse(p).architecture());
      assertEquals(expected.digestValue(), image.manifestDigest());
      assertEquals(MediaTypes.DOCKER_MANIFEST, image.manifest().mediaType());
      assertEquals(Platform.parse(p).architecture(), image.config().architecture());
      // pinned to the list's digest, the same image comes back
      ImageReference pinned = ref.pinned(client.fetchManifest(ref).digest());
      assertEquals(image.manifestDigest(), new ImageResolver(client).resolve(pinned, Platform.parse(p)).manifestDigest());
    }
  }

  @Test
  void amd64NeverFallsBackTo386(TestRegistry registry) throws Exception {
    // an index that offers only 386 (the image behind it is busybox's amd64 one: only the entry matters here)
    pushDockerList(registry, "only386", Map.of("amd64", new PlatformSpec("386", "linux", null)));
    ImageReference ref = ImageReference.parse(registry.hostPort() + "/only386:1");
    RegistryException e = assertThrows(RegistryException.class,
        () -> new ImageResolver(client).resolve(ref, Platform.LINUX_AMD64));
    assertEquals(RegistryException.Kind.NO_MATCHING_PLATFORM, e.kind());
    assertTrue(e.getMessage().endsWith("has no linux/amd64 image (available: linux/386)"), e.getMessage());
    ResolvedImage asked = new ImageResolver(client).resolve(ref, Platform.parse("linux/386"));
    assertEquals(MediaTypes.DOCKER_MANIFEST, asked.manifest().mediaType());
  }

  @Test
  void aTagIsResolvedOnceUntilPull(TestRegistry registry, @TempDir Path cacheDir) throws Exception {
    pushDockerList(registry, "moving", Map.of("amd64", new PlatformSpec("amd64", "linux", null)));
    ImageReference ref = ImageReference.parse(registry.hostPort() + "/moving:1");
    ResolvedImageCache cache = new ResolvedImageCache(cacheDir);
    ResolvedImage first = new ImageResolver(client, Optional.of(cache), false).resolve(ref, Platform.LINUX_AMD64);

    // the tag moves to the arm64 image (claimed as amd64 in the list, so the same request matches it)
    pushDockerList(registry, "moving", Map.of("arm64", new PlatformSpec("amd64", "linux", null)));
    ResolvedImage cached = new ImageResolver(client, Optional.of(cache), false).resolve(ref, Platform.LINUX_AMD64);
    assertEquals(first.manifestDigest(), cached.manifestDigest(), "without pull the earlier answer is reused");
    assertEquals(first.config(), cached.config());

    ResolvedImage pulled = new ImageResolver(client, Optional.of(cache), true).resolve(ref, Platform.LINUX_AMD64);
    assertTrue(!pulled.manifestDigest().equals(first.manifestDigest()), "pull resolves the tag again");
    assertEquals(pulled.manifestDigest(),
        new ImageResolver(client, Optional.of(cache), false).resolve(ref, Platform.LINUX_AMD64).manifestDigest(),
        "and the cache remembers the new answer");
  }
}
