package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(RegistryExtension.class)
class ImageResolverTest {
  final RegistryClient client = RegistryClient.create(RegistryConfig.defaults().withoutCredentials());
  final ImageResolver resolver = new ImageResolver(client);

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      linux/amd64,    amd64, ''
      linux/arm64,    arm64, v8
      linux/arm64/v8, arm64, v8
      linux/aarch64,  arm64, v8
      """)
  void resolvesThePlatformsManifestFromTheIndex(String platform, String arch, String variant, TestRegistry registry)
      throws Exception {
    ImageReference ref = ImageReference.parse(registry.busybox());
    ImageIndex index = ImageIndex.parse(client.fetchManifest(ref).bytes());
    Descriptor entry = index.manifests().stream()
        .filter(d -> d.platform().architecture().equals(arch)).findFirst().orElseThrow();

    ResolvedImage image = resolver.resolve(ref, Platform.parse(platform));

    assertEquals(entry.digestValue(), image.manifestDigest());
    assertEquals(image.manifestDigest(), image.manifest().digest());
    assertEquals(ref.pinned(entry.digestValue()), image.ref());
    assertEquals(registry.hostPort() + "/busybox@" + entry.digestValue(), image.ref().toString());
    assertEquals(arch, image.config().architecture());
    assertEquals(variant, image.config().variant() == null ? "" : image.config().variant());
    assertEquals(image.parsedManifest().config().digestValue(), Digest.sha256(image.configBytes()));
    assertArrayEquals(image.configBytes(),
        client.fetchBlobBytes(ref, image.parsedManifest().config().digestValue(), 1 << 20));
  }

  @Test
  void missingPlatformListsWhatIsAvailable(TestRegistry registry) {
    ImageReference ref = ImageReference.parse(registry.busybox());
    RegistryException e = assertThrows(RegistryException.class, () -> resolver.resolve(ref, Platform.parse("linux/s390x")));
    assertEquals(RegistryException.Kind.NO_MATCHING_PLATFORM, e.kind());
    assertEquals(registry.busybox() + " has no linux/s390x image (available: linux/amd64, linux/arm64/v8)", e.getMessage());
  }

  @Test
  void singleManifestMustBeForThePlatform(TestRegistry registry) throws Exception {
    ImageReference ref = ImageReference.parse(registry.busybox());
    ResolvedImage amd64 = resolver.resolve(ref, Platform.LINUX_AMD64);
    ImageReference single = amd64.ref();

    ResolvedImage again = resolver.resolve(single, Platform.LINUX_AMD64);
    assertEquals(amd64.manifestDigest(), again.manifestDigest());
    assertEquals(single, again.ref());

    RegistryException e = assertThrows(RegistryException.class, () -> resolver.resolve(single, Platform.LINUX_ARM64));
    assertEquals(RegistryException.Kind.NO_MATCHING_PLATFORM, e.kind());
    assertEquals(single + " has no linux/arm64 image (available: linux/amd64)", e.getMessage());
  }
}
