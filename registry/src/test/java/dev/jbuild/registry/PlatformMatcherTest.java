package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.PlatformSpec;
import dev.jbuild.platform.Platform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformMatcherTest {
  /** Index entries named by their annotation "n" so a test can say which one was picked; equally good entries go by index order. */
  static final List<Descriptor> INDEX = List.of(
      entry("amd64", "amd64", null),
      entry("amd64v3", "amd64", "v3"),
      entry("arm64", "arm64", null),
      entry("arm64v8", "arm64", "v8"),
      entry("armv6", "arm", "v6"),
      entry("armv5", "arm", "v5"),
      entry("s390x", "s390x", null));

  static Descriptor entry(String name, String arch, String variant) {
    return new Descriptor("application/vnd.oci.image.manifest.v1+json", "sha256:" + "0".repeat(64), 1,
        Map.of("n", name), new PlatformSpec(arch, "linux", variant));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "-", textBlock = """
      linux/amd64,     amd64
      linux/amd64/v2,  amd64
      linux/amd64/v3,  amd64v3
      linux/amd64/v4,  amd64v3
      linux/arm64,     arm64v8
      linux/arm64/v8,  arm64v8
      linux/aarch64,   arm64v8
      linux/arm64/v9,  arm64
      linux/arm/v7,    armv6
      linux/arm/v6,    armv6
      linux/arm/v5,    armv5
      linux/s390x,     s390x
      linux/ppc64le,   -
      windows/amd64,   -
      """)
  void picksLikeContainerd(String wanted, String expected) {
    Optional<Descriptor> got = PlatformMatcher.select(INDEX, Platform.parse(wanted));
    assertEquals(Optional.ofNullable(expected), got.map(d -> d.annotations().get("n")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      linux/arm64
      linux/arm64/v8
      """)
  void arm64WithoutVariantMatchesWhenItIsTheOnlyOne(String wanted) {
    List<Descriptor> index = List.of(entry("amd64", "amd64", null), entry("arm64", "arm64", null));
    assertEquals("arm64", PlatformMatcher.select(index, Platform.parse(wanted)).orElseThrow().annotations().get("n"));
    assertTrue(PlatformMatcher.matches(Platform.parse("linux/aarch64"), Platform.parse(wanted)));
  }
}
