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

  @Test
  void contentAfterTheDocumentIsAnErrorWhitespaceIsNot() throws Exception {
    // found by DocumentsFuzzTest: the first value was read and the rest ignored (Go's json.Unmarshal refuses it)
    String index = "{\"schemaVersion\":2,\"manifests\":[]}";
    assertThrows(InvalidDocumentException.class, () -> ImageIndex.parse((index + "],\"x\":1}").getBytes(StandardCharsets.UTF_8)));
    InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
        () -> ImageIndex.parse((index + "\n" + index).getBytes(StandardCharsets.UTF_8)));
    assertEquals("invalid ImageIndex JSON: content after the document's value (line 2, column 2)", e.getMessage());
    assertEquals(new ImageIndex(2, null, List.of(), Map.of()),
        ImageIndex.parse((" " + index + "\n\t \n").getBytes(StandardCharsets.UTF_8)));
  }

  // The documents are written field by field (Json); these outputs are the bytes Jackson's data
  // binding wrote for the same values with the annotations the records used to carry.

  private static ImageConfig parse(String json) throws InvalidDocumentException {
    return ImageConfig.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void emptyValuesAreLeftOutExceptConfigDiffIdsNumbersBooleansAndASetInlineCache() {
    assertEquals("{\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
        json(new ImageConfig(null, null, null, null, null, null, null, null).toBytes()));
    ImageConfig empties = new ImageConfig("", "", "", "", "", new ImageConfig.Container("", Map.of(), List.of(), List.of(),
        List.of(), Map.of(), "", Map.of(), "", false, List.of(), List.of(), new ImageConfig.Healthcheck(List.of(), 0L, 0L, 0L, 0L, 0)),
        new ImageConfig.RootFs("", List.of()), List.of(new ImageConfig.History("", "", "", "", false)), "");
    assertEquals("{\"config\":{\"ArgsEscaped\":false,\"Healthcheck\":{\"Interval\":0,\"Timeout\":0,\"StartPeriod\":0,"
        + "\"StartInterval\":0,\"Retries\":0}},\"rootfs\":{\"diff_ids\":[]},\"history\":[{\"empty_layer\":false}],"
        + "\"dev.jbuild.cache.v1\":\"\"}", json(empties.toBytes()));
    Descriptor d = Descriptor.of("application/x", D, 1).withPlatform(new PlatformSpec("", null, ""));
    assertEquals("{\"schemaVersion\":2,\"mediaType\":\"m\",\"config\":{\"mediaType\":\"application/x\",\"digest\":\"" + D
        + "\",\"size\":1,\"platform\":{}},\"layers\":[]}", json(new Manifest(2, "m", d, List.of(), Map.of()).toBytes()));
  }

  @Test
  void everyFieldInSpecOrderWithPlainContentSortedAtEveryLevel() throws Exception {
    Map<String, Object> port = new java.util.LinkedHashMap<>();
    port.put("z", null);
    port.put("b", List.of(1, "x", 2.5, true));
    port.put("a", Map.of("y", 1L, "x", "q"));
    ImageConfig c = new ImageConfig("2024-01-01T00:00:00Z", "me", "arm64", "linux", "v8",
        new ImageConfig.Container("u", Map.of("80/tcp", Map.of(), "443/tcp", port), List.of("A=1", "B=2"), List.of("/e"),
            List.of("c", "d"), Map.of("/v", Map.of()), "/w", Map.of("b", "2", "a", "1"), "SIGTERM", true,
            List.of("/bin/sh", "-c"), List.of("RUN x"), new ImageConfig.Healthcheck(List.of("CMD", "x"), 1L, 2L, 3L, 4L, 5)),
        new ImageConfig.RootFs("layers", List.of("sha256:aa", "sha256:bb")),
        List.of(new ImageConfig.History("t", "by", "au", "co", true), new ImageConfig.History(null, null, null, null, null)),
        "payload");
    String expected = "{\"created\":\"2024-01-01T00:00:00Z\",\"author\":\"me\",\"architecture\":\"arm64\",\"os\":\"linux\","
        + "\"variant\":\"v8\",\"config\":{\"User\":\"u\",\"ExposedPorts\":{\"443/tcp\":{\"a\":{\"x\":\"q\",\"y\":1},"
        + "\"b\":[1,\"x\",2.5,true],\"z\":null},\"80/tcp\":{}},\"Env\":[\"A=1\",\"B=2\"],\"Entrypoint\":[\"/e\"],"
        + "\"Cmd\":[\"c\",\"d\"],\"Volumes\":{\"/v\":{}},\"WorkingDir\":\"/w\",\"Labels\":{\"a\":\"1\",\"b\":\"2\"},"
        + "\"StopSignal\":\"SIGTERM\",\"ArgsEscaped\":true,\"Shell\":[\"/bin/sh\",\"-c\"],\"OnBuild\":[\"RUN x\"],"
        + "\"Healthcheck\":{\"Test\":[\"CMD\",\"x\"],\"Interval\":1,\"Timeout\":2,\"StartPeriod\":3,\"StartInterval\":4,"
        + "\"Retries\":5}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:aa\",\"sha256:bb\"]},"
        + "\"history\":[{\"created\":\"t\",\"created_by\":\"by\",\"author\":\"au\",\"comment\":\"co\",\"empty_layer\":true},{}],"
        + "\"dev.jbuild.cache.v1\":\"payload\"}";
    assertEquals(expected, json(c.toBytes()));
    assertEquals(c, ImageConfig.parse(c.toBytes()).withConfig(c.config()), "everything but plain content reads back equal");
    assertEquals(expected, json(ImageConfig.parse(c.toBytes()).toBytes()));
  }

  @Test
  void scalarsAreCoercedAsJacksonDataBindingDoes() throws Exception {
    assertEquals(List.of("1", "true"), parse("{\"config\":{\"Env\":[1,true]}}").config().env());
    assertEquals(true, parse("{\"history\":[{\"empty_layer\":1}]}").history().get(0).emptyLayer());
    assertEquals(false, parse("{\"config\":{\"ArgsEscaped\":\"false\"}}").config().argsEscaped());
    ImageConfig.Healthcheck h = parse("{\"config\":{\"Healthcheck\":{\"Interval\":1.5,\"Retries\":\"3\"}}}").config().healthcheck();
    assertEquals(1L, h.interval());
    assertEquals(3, h.retries());
    Manifest m = Manifest.parse(("{\"schemaVersion\":\"2\",\"config\":{\"mediaType\":5,\"digest\":\"" + D
        + "\",\"size\":\"5\"},\"layers\":null,\"unknown\":[{}]}").getBytes(StandardCharsets.UTF_8));
    assertEquals(new Manifest(2, null, new Descriptor("5", D.toString(), 5, Map.of(), null), List.of(), Map.of()), m);
    assertEquals(java.util.Collections.singletonMap("a", null), parse("{\"config\":{\"Labels\":{\"a\":null}}}").config().labels());
  }

  @Test
  void structuralMismatchesAreInvalidDocumentsNamingTheField() {
    assertEquals("invalid Manifest JSON: layers[0]: expected an object, got a string", assertThrows(InvalidDocumentException.class,
        () -> Manifest.parse("{\"schemaVersion\":2,\"config\":{},\"layers\":[\"x\"]}".getBytes(StandardCharsets.UTF_8))).getMessage());
    assertEquals("invalid Manifest JSON: config.size: expected a number, got a boolean", assertThrows(InvalidDocumentException.class,
        () -> Manifest.parse("{\"schemaVersion\":2,\"config\":{\"size\":true}}".getBytes(StandardCharsets.UTF_8))).getMessage());
    assertEquals("invalid Manifest JSON: schemaVersion: 9999999999 is out of range", assertThrows(InvalidDocumentException.class,
        () -> Manifest.parse("{\"schemaVersion\":9999999999}".getBytes(StandardCharsets.UTF_8))).getMessage());
    assertEquals("invalid Manifest JSON: null where a value is required", assertThrows(InvalidDocumentException.class,
        () -> Manifest.parse("{\"schemaVersion\":2,\"config\":{},\"annotations\":{\"a\":null}}".getBytes(StandardCharsets.UTF_8)))
        .getMessage());
    assertEquals("invalid ImageConfig JSON: config.Env: expected an array, got a string",
        assertThrows(InvalidDocumentException.class, () -> parse("{\"config\":{\"Env\":\"A=1\"}}")).getMessage());
    assertEquals("invalid ImageConfig JSON: config.Env: null in a list of strings",
        assertThrows(InvalidDocumentException.class, () -> parse("{\"config\":{\"Env\":[null]}}")).getMessage());
    assertEquals("invalid ImageConfig JSON: config.ExposedPorts.80/tcp: expected an object, got a number",
        assertThrows(InvalidDocumentException.class, () -> parse("{\"config\":{\"ExposedPorts\":{\"80/tcp\":1}}}")).getMessage());
    assertEquals("invalid ImageConfig JSON: the document: expected an object, got null",
        assertThrows(InvalidDocumentException.class, () -> parse("null")).getMessage());
    assertEquals("invalid ImageIndex JSON: no content",
        assertThrows(InvalidDocumentException.class, () -> ImageIndex.parse(new byte[0])).getMessage());
  }

  @Test
  void recordsInsideOtherDataAreWrittenAndReadTheSameWay() throws Exception {
    Descriptor d = Descriptor.of(MediaTypes.OCI_MANIFEST, D, 10).withPlatform(PlatformSpec.of(Platform.LINUX_ARM64))
        .withAnnotations(Map.of("b", "2", "a", "1"));
    byte[] alone = JsonFields.write(d, Descriptor::write);
    assertEquals("{\"d\":" + json(alone) + "}", json(Json.write(Map.of("d", d))));
    assertEquals(d, Json.MAPPER.readValue(alone, Descriptor.class));
    assertEquals("invalid Descriptor JSON: size: expected a number, got an array", assertThrows(
        com.fasterxml.jackson.databind.JsonMappingException.class,
        () -> Json.MAPPER.readValue("{\"size\":[]}", Descriptor.class)).getOriginalMessage());
  }
}

