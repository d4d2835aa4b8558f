package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.MediaTypes;
import dev.jbuild.oci.PlatformSpec;
import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RegistryExtension.class)
class PushTest {
  final RegistryClient client = RegistryClient.create(RegistryConfig.defaults().withoutCredentials());
  final ImageResolver resolver = new ImageResolver(client);

  /** A blob source that counts how often the upload read it: zero means nothing was sent. */
  record CountingSource(Path file, AtomicInteger opens) implements BlobSource {
    CountingSource(Path file) {
      this(file, new AtomicInteger());
    }

    @Override
    public java.io.InputStream open() throws java.io.IOException {
      opens.incrementAndGet();
      return Files.newInputStream(file);
    }
  }

  static ImageReference newRepo(TestRegistry registry, String name) {
    return ImageReference.parse(registry.hostPort() + "/" + name + "-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** Copies one platform's image into {@code target}: blobs (mounted or uploaded), then the manifest by digest. */
  Descriptor copyImage(ResolvedImage image, ImageReference source, ImageReference target, boolean mount, Path tmp,
                       List<CountingSource> sources) throws Exception {
    List<Descriptor> blobs = new ArrayList<>(image.parsedManifest().layers());
    blobs.add(0, image.parsedManifest().config());
    for (Descriptor blob : blobs) {
      Path file = tmp.resolve(blob.digestValue().hex());
      client.fetchBlob(source, blob.digestValue(), file);
      CountingSource counting = new CountingSource(file);
      sources.add(counting);
      client.pushBlob(target, blob.digestValue(), blob.size(), counting, mount ? Optional.of(source) : Optional.empty());
      assertTrue(client.hasBlob(target, blob.digestValue()));
    }
    byte[] bytes = image.manifest().bytes();
    Digest pushed = client.pushManifest(target, image.manifestDigest().toString(), bytes, image.manifest().mediaType());
    assertEquals(image.manifestDigest(), pushed);
    return Descriptor.of(image.manifest().mediaType(), pushed, bytes.length);
  }

  @Test
  void copiesAnImageWithMountsAndPushesAnIndexThatOtherToolsRead(TestRegistry registry, @TempDir Path tmp)
      throws Exception {
    ImageReference source = ImageReference.parse(registry.busybox());
    ImageReference target = newRepo(registry, "copy");

    // arm64 by cross-repository mount: the registry links the blobs, nothing is read or sent
    ResolvedImage arm64 = resolver.resolve(source, Platform.LINUX_ARM64);
    List<CountingSource> mounted = new ArrayList<>();
    Descriptor arm64Entry = copyImage(arm64, source, target, true, tmp, mounted);
    assertEquals(2, mounted.size());
    mounted.forEach(s -> assertEquals(0, s.opens().get(), "mounted, not uploaded: " + s.file()));

    // amd64 by upload: each blob is read exactly once
    ResolvedImage amd64 = resolver.resolve(source, Platform.LINUX_AMD64);
    List<CountingSource> uploaded = new ArrayList<>();
    Descriptor amd64Entry = copyImage(amd64, source, target, false, tmp, uploaded);
    uploaded.forEach(s -> assertEquals(1, s.opens().get(), "uploaded once: " + s.file()));

    // pushing the same blobs again finds them (HEAD) and uploads nothing
    for (CountingSource s : uploaded) {
      Digest d = Digest.parse("sha256:" + s.file().getFileName());
      client.pushBlob(target, d, Files.size(s.file()), s, Optional.empty());
      assertEquals(1, s.opens().get(), "not re-uploaded: " + s.file());
    }

    ImageIndex index = ImageIndex.of(List.of(
        amd64Entry.withPlatform(PlatformSpec.of(Platform.LINUX_AMD64)),
        arm64Entry.withPlatform(PlatformSpec.of(Platform.LINUX_ARM64))));
    byte[] indexBytes = index.toBytes();
    assertTrue(new String(indexBytes, StandardCharsets.UTF_8).contains("\"variant\":\"v8\""));
    Digest indexDigest = client.pushManifest(target, "1.0", indexBytes, MediaTypes.OCI_INDEX);
    assertEquals(Digest.sha256(indexBytes), indexDigest);

    // an independent client sees exactly our bytes
    String pushed = target.withTag("1.0").toString();
    assertArrayEquals(indexBytes, PullTest.skopeoRaw(pushed));
    FetchedManifest back = client.fetchManifest(target.withTag("1.0"));
    assertArrayEquals(indexBytes, back.bytes());
    assertEquals(MediaTypes.OCI_INDEX, back.mediaType());
    assertEquals(indexDigest, back.digest());
    assertEquals(arm64.manifestDigest(), resolver.resolve(target.withTag("1.0"), Platform.parse("linux/arm64/v8")).manifestDigest());

    // and can unpack the arm64 image from it
    Path layout = tmp.resolve("layout");
    Processes.run(List.of("skopeo", "--override-arch", "arm64", "--override-variant", "v8", "copy", "--quiet",
        "--src-tls-verify=false", "docker://" + pushed, "oci:" + layout + ":img")).assertSuccess();
    Path bundle = tmp.resolve("bundle");
    Processes.run(List.of("umoci", "unpack", "--image", layout + ":img", bundle.toString())).assertSuccess();
    Path busybox = bundle.resolve("rootfs/bin/busybox");
    assertTrue(Files.isRegularFile(busybox));
    byte[] elf = Files.readAllBytes(busybox);
    assertEquals(0xB7, elf[18] & 0xff, "e_machine is EM_AARCH64");
  }

  @Test
  void manifestReferencingMissingBlobsIsRejectedClearly(TestRegistry registry) throws Exception {
    ImageReference source = ImageReference.parse(registry.busybox());
    ImageReference target = newRepo(registry, "incomplete");
    ResolvedImage image = resolver.resolve(source, Platform.LINUX_AMD64);
    RegistryException e = assertThrows(RegistryException.class, () ->
        client.pushManifest(target, "1", image.manifest().bytes(), image.manifest().mediaType()));
    assertEquals(target.withTag("1") + ": pushing the manifest failed: " + registry.hostPort()
        + " answered HTTP 400 (blob unknown to registry)", e.getMessage());
  }

  @Test
  void pushesSmallBlobAndManifestByTagAndDigest(TestRegistry registry) throws Exception {
    ImageReference target = newRepo(registry, "small");
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
        .getBytes(StandardCharsets.UTF_8);
    Digest configDigest = Digest.sha256(config);
    assertFalse(client.hasBlob(target, configDigest));
    client.pushBlob(target, configDigest, config.length, BlobSource.of(config), Optional.empty());
    assertTrue(client.hasBlob(target, configDigest));
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
        + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},\"layers\":[]}")
        .getBytes(StandardCharsets.UTF_8);
    Digest byDigest = client.pushManifest(target, Digest.sha256(manifest).toString(), manifest, MediaTypes.OCI_MANIFEST);
    assertEquals(byDigest, client.pushManifest(target, "v1", manifest, MediaTypes.OCI_MANIFEST));
    assertArrayEquals(manifest, client.fetchManifest(target.withTag("v1")).bytes());
    assertArrayEquals(manifest, PullTest.skopeoRaw(target.withTag("v1").toString()));
    assertThrows(IllegalArgumentException.class, () -> client.pushManifest(target,
        Digest.sha256(config).toString(), manifest, MediaTypes.OCI_MANIFEST));

    // a wrong digest for uploaded bytes is refused by the registry and reported as bad content
    Digest wrong = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));
    RegistryException e = assertThrows(RegistryException.class,
        () -> client.pushBlob(target, wrong, config.length, BlobSource.of(config), Optional.empty()));
    assertEquals(RegistryException.Kind.INVALID_CONTENT, e.kind(), e.getMessage());
    assertTrue(e.getMessage().endsWith("answered HTTP 400 (provided digest did not match uploaded content)"), e.getMessage());
  }

  @Test
  void unreadableSourceIsALocalErrorNotANetworkOne(TestRegistry registry, @TempDir Path tmp) throws Exception {
    ImageReference target = newRepo(registry, "unreadable");
    Path missing = tmp.resolve("gone");
    byte[] bytes = "never written".getBytes(StandardCharsets.UTF_8);
    java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> client.pushBlob(
        target, Digest.sha256(bytes), bytes.length, BlobSource.of(missing), Optional.empty()));
    assertTrue(e.getMessage().startsWith("cannot read the blob " + Digest.sha256(bytes) + " to push it to "
        + target.repositoryName()), e.getMessage());
    assertFalse(client.hasBlob(target, Digest.sha256(bytes)));
  }
}
