package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Digest;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
  static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # input                                   | registry          | repository            | tag    | digest      | toString
      busybox                                   | docker.io         | library/busybox       | latest | -           | docker.io/library/busybox:latest
      busybox:1.35                              | docker.io         | library/busybox       | 1.35   | -           | docker.io/library/busybox:1.35
      library/busybox                           | docker.io         | library/busybox       | latest | -           | docker.io/library/busybox:latest
      docker.io/busybox                         | docker.io         | library/busybox       | latest | -           | docker.io/library/busybox:latest
      index.docker.io/library/busybox:1         | docker.io         | library/busybox       | 1      | -           | docker.io/library/busybox:1
      registry-1.docker.io/x/y                  | docker.io         | x/y                   | latest | -           | docker.io/x/y:latest
      bitnami/redis:7.2                         | docker.io         | bitnami/redis         | 7.2    | -           | docker.io/bitnami/redis:7.2
      ghcr.io/owner/app                         | ghcr.io           | owner/app             | latest | -           | ghcr.io/owner/app:latest
      localhost/app:dev                         | localhost         | app                   | dev    | -           | localhost/app:dev
      localhost:5000/hello                      | localhost:5000    | hello                 | latest | -           | localhost:5000/hello:latest
      127.0.0.1:5000/hello:latest               | 127.0.0.1:5000    | hello                 | latest | -           | 127.0.0.1:5000/hello:latest
      127.0.0.1:5000/x/y/z:1.0-rc_1             | 127.0.0.1:5000    | x/y/z                 | 1.0-rc_1 | -         | 127.0.0.1:5000/x/y/z:1.0-rc_1
      [::1]:5000/app:v1                         | [::1]:5000        | app                   | v1     | -           | [::1]:5000/app:v1
      Registry.Example/app                      | Registry.Example  | app                   | latest | -           | Registry.Example/app:latest
      my-registry:8080/a__b.c-d/e---f           | my-registry:8080  | a__b.c-d/e---f        | latest | -           | my-registry:8080/a__b.c-d/e---f:latest
      busybox@sha256:HEX                        | docker.io         | library/busybox       | -      | sha256:HEX  | docker.io/library/busybox@sha256:HEX
      127.0.0.1:5000/x/y:1@sha256:HEX           | 127.0.0.1:5000    | x/y                   | 1      | sha256:HEX  | 127.0.0.1:5000/x/y:1@sha256:HEX
      """)
  void parses(String input, String registry, String repository, String tag, String digest, String shown) {
    ImageReference r = ImageReference.parse(input.replace("HEX", HEX));
    assertEquals(registry, r.registry());
    assertEquals(repository, r.repository());
    assertEquals(Optional.ofNullable(tag), r.tag());
    assertEquals(Optional.ofNullable(digest).map(d -> Digest.parse(d.replace("HEX", HEX))), r.digest());
    assertEquals(shown.replace("HEX", HEX), r.toString());
    assertEquals(r, ImageReference.parse(r.toString()), "toString parses back to the same reference");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "", ":latest", "busybox:", "Busybox", "docker.io/Library/busybox", "a//b", "/busybox", "busybox/",
      "busybox:tag with space", "busybox:-dash", "busybox@sha256:abc", "busybox@md5:" + HEX, "busybox@",
      "a_-b", "-a", "host:port/x", "127.0.0.1:5000/", "x:" + "t123456789t123456789t123456789t123456789t123456789"
          + "t123456789t123456789t123456789t123456789t123456789t123456789t123456789t123456789",
  })
  void rejectsInvalid(String input) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(input));
    assertTrue(e.getMessage().startsWith("invalid reference format"), e.getMessage());
  }

  @Test
  void rejectsOverlongNames() {
    String longName = "r.io/" + "a".repeat(260);
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(longName));
  }

  @Test
  void withTagWithDigestAndPinned() {
    ImageReference r = ImageReference.parse("127.0.0.1:5000/hello");
    Digest d = Digest.parse("sha256:" + HEX);
    assertEquals("127.0.0.1:5000/hello:2", r.withTag("2").toString());
    assertEquals("127.0.0.1:5000/hello:latest@sha256:" + HEX, r.withDigest(d).toString());
    assertEquals("127.0.0.1:5000/hello@sha256:" + HEX, r.pinned(d).toString());
    assertEquals("127.0.0.1:5000/hello", r.repositoryName());
    assertEquals("sha256:" + HEX, r.withDigest(d).manifestSelector());
    assertEquals("latest", r.manifestSelector());
    assertEquals("registry-1.docker.io", ImageReference.parse("busybox").endpointHost());
    assertThrows(IllegalArgumentException.class, () -> r.withTag("bad tag"));
  }
}
