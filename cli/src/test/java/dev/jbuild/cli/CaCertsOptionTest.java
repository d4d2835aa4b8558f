package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.solver.CaCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaCertsOptionTest {
  @TempDir Path dir;

  private static CaCertsOption flag(String value) {
    CaCertsOption o = new CaCertsOption();
    o.caCerts = value;
    return o;
  }

  private Path pem() throws Exception {
    return Files.writeString(dir.resolve("corp.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  }

  @Test
  void aFileIsLentAsItIs() throws Exception {
    assertEquals(Optional.of(new CaCertificates(pem())), flag(pem().toString()).resolve(Optional.empty()));
  }

  @Test
  void hostMeansTheSystemBundle() throws Exception {
    Path expected = CaCertsOption.HOST_BUNDLES.stream().filter(Files::isReadable).findFirst().orElseThrow();
    assertEquals(Optional.of(new CaCertificates(expected)), flag("host").resolve(Optional.empty()));
  }

  @Test
  void theConfigFileIsUsedWithoutTheFlagAndTheFlagWins() throws Exception {
    Path config = Files.writeString(dir.resolve("jbuild.toml"), "[build]\n  ca-certs = \"" + pem() + "\"\n");
    assertEquals(Optional.of(new CaCertificates(pem())), new CaCertsOption().resolve(Optional.of(config)));
    Path other = Files.writeString(dir.resolve("other.pem"), Files.readString(pem()));
    assertEquals(Optional.of(new CaCertificates(other)), flag(other.toString()).resolve(Optional.of(config)));
    Path none = Files.writeString(dir.resolve("none.toml"), "[registry.\"docker.io\"]\n  mirrors = []\n");
    assertEquals(Optional.empty(), new CaCertsOption().resolve(Optional.of(none)));
  }

  @Test
  void badValuesNameTheirSource() throws Exception {
    assertEquals("--ca-certs=" + dir.resolve("x.pem") + ": " + dir.resolve("x.pem") + " is not a readable file",
        assertThrows(UserError.class, () -> flag(dir.resolve("x.pem").toString()).resolve(Optional.empty())).getMessage());
    Path config = Files.writeString(dir.resolve("bad.toml"), "[build]\n  ca-certs = 3\n");
    assertEquals(config + ": [build] ca-certs must be \"host\" or the path of a PEM file",
        assertThrows(UserError.class, () -> new CaCertsOption().resolve(Optional.of(config))).getMessage());
  }
}
