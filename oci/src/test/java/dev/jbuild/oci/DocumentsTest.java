package dev.jbuild.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.platform.Platform;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentsTest {
  private static final Digest D = Digest.sha256("x".getBytes(StandardCharsets.UTF_8));

  private static String json(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void indexEntriesCarryPlatformWithVariantForArm64() {
    Descriptor m = Descriptor.of(MediaTypes.OCI_MANIFEST, D, 10).withPlatform(PlatformSpec.of(Platform.LINUX_ARM64));
    Descriptor a = Descriptor.of(MediaTypes.OCI_MANIFEST, D, 10).withPlatform(PlatformSpec.of(Platform.LINUX_AMD64));
    assertEquals("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
        + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + D + "\",\"size\":10,"
        + "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}},"
        + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + D + "\",\"size\":10,"
        + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}",
        json(ImageIndex.of(List.of(m, a)).toBytes()));
  }

  @Test
  void documentsRoundTripToTheSameBytes() throws Exception {
    ImageConfig c = new ImageConfig("2024-01-02T03:04:05Z", null, "arm64", "linux", "v8",
        ImageConfig.Container.EMPTY.withEnv("PATH", "/bin").withLabels(Map.of("b", "2", "a", "1"))
            .withCmd(List.of("sh")).withWorkingDir("/app").withExposedPort("80/tcp"),
        new ImageConfig.RootFs("layers", List.of(D.toString())),
        List.of(new ImageConfig.History("2024-01-02T03:04:05Z", "RUN x", null, null, null)));
    byte[] bytes = c.toBytes();
    assertArrayEquals(bytes, ImageConfig.parse(bytes).toBytes());
    assertTrue(json(bytes).contains("\"Labels\":{\"a\":\"1\",\"b\":\"2\"}"), "labels are sorted: " + json(bytes));
    assertTrue(json(bytes).contains("\"ExposedPorts\":{\"80/tcp\":{}}"), json(bytes));

    Manifest m = new Manifest(2, MediaTypes.OCI_MANIFEST, Descriptor.of(MediaTypes.OCI_CONFIG, D, 3),
        List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, D, 4)), Map.of());
    assertArrayEquals(m.toBytes(), Manifest.parse(m.toBytes()).toBytes());
  }

  @Test
  void envReplacesInPlaceLikeDocker() {
    ImageConfig.Container c = ImageConfig.Container.EMPTY.withEnv("A", "1").withEnv("B", "2").withEnv("A", "3");
    assertEquals(List.of("A=3", "B=2"), c.env());
  }

  @Test
  void entrypointResetsCmd() {
    ImageConfig.Container c = ImageConfig.Container.EMPTY.withCmd(List.of("x")).withEntrypoint(List.of("y"));
    assertEquals(null, c.cmd());
    assertEquals(List.of("y"), c.entrypoint());
  }

  @Test
  void invalidDocumentsAreReportedNotThrownAsRuntimeErrors() {
    assertThrows(InvalidDocumentException.class, () -> Manifest.parse("{".getBytes(StandardCharsets.UTF_8)));
    assertThrows(InvalidDocumentException.class, () -> Manifest.parse("{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:xyz"));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("md5:" + "0".repeat(32)));
  }
}
