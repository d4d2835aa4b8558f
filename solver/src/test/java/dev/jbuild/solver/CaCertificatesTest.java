package dev.jbuild.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.nativeexec.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaCertificatesTest {
  private static final byte[] PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".getBytes();

  @TempDir Path dir;

  private CaCertificates ca() throws Exception {
    return new CaCertificates(Files.write(dir.resolve("bundle.pem"), PEM));
  }

  @Test
  void mountsOverTheImagesBundleOnlyWhereItHasOne() throws Exception {
    Path bare = Files.createDirectories(dir.resolve("bare"));
    List<Mount> mounts = ca().mounts(bare);
    assertEquals(List.of("/run/jbuild/ca-certificates.crt"), mounts.stream().map(Mount::target).toList());
    assertArrayEquals(PEM, ((Mount.File) mounts.get(0)).content());

    Path debian = Files.createDirectories(dir.resolve("debian/etc/ssl/certs"));
    Files.writeString(debian.resolve("ca-certificates.crt"), "the image's own\n");
    assertEquals(List.of("/run/jbuild/ca-certificates.crt", "/etc/ssl/certs/ca-certificates.crt"),
        ca().mounts(dir.resolve("debian")).stream().map(Mount::target).toList());
  }

  @Test
  void followsTheImagesSymlinkedBundleInsideTheRoot() throws Exception {
    Path root = Files.createDirectories(dir.resolve("alpine"));
    Files.createDirectories(root.resolve("etc/ssl/certs"));
    Files.writeString(Files.createDirectories(root.resolve("etc/ssl1")).resolve("cert.pem"), "own\n");
    Files.createSymbolicLink(root.resolve("etc/ssl/certs/ca-certificates.crt"), Path.of("/etc/ssl1/cert.pem"));
    assertEquals(2, ca().mounts(root).size(), "an absolute link resolves inside the root");
  }

  @Test
  void setsOnlyTheVariablesTheStepDoesNotSetItself() throws Exception {
    List<String> env = ca().env(List.of("PATH=/usr/bin", "SSL_CERT_FILE=/mine.pem"));
    assertEquals(List.of("PATH=/usr/bin", "SSL_CERT_FILE=/mine.pem",
        "CURL_CA_BUNDLE=/run/jbuild/ca-certificates.crt", "NODE_EXTRA_CA_CERTS=/run/jbuild/ca-certificates.crt",
        "REQUESTS_CA_BUNDLE=/run/jbuild/ca-certificates.crt", "PIP_CERT=/run/jbuild/ca-certificates.crt"), env);
  }
}
