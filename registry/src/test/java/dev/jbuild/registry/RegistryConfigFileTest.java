package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The buildkitd.toml-style registry config file. */
class RegistryConfigFileTest {
  @TempDir Path dir;

  private RegistryConfig load(String toml) throws Exception {
    Path f = dir.resolve("jbuild.toml");
    Files.writeString(f, toml);
    return RegistryConfigFile.load(f, RegistryConfig.defaults());
  }

  @Test
  void readsMirrorsAndInsecureHostsAndIgnoresOtherBuildkitdSections() throws Exception {
    RegistryConfig c = load("""
        debug = true
        [worker.oci]
          max-parallelism = 4
        [registry."docker.io"]
          mirrors = ["127.0.0.1:5001", "http://mirror.internal:5000"]
        [registry."build.internal:5000"]
          http = true
        [registry."self-signed.internal"]
          insecure = true
        [registry."strict.internal"]
          insecure = false
        """);
    assertEquals(Map.of("docker.io", List.of("127.0.0.1:5001", "mirror.internal:5000")), c.mirrors());
    assertTrue(c.isInsecure("build.internal:5000"));
    assertTrue(c.isInsecure("self-signed.internal"));
    assertTrue(c.isInsecure("mirror.internal:5000"), "an http:// mirror is reached over plain HTTP");
    assertFalse(c.isInsecure("strict.internal"));
    assertTrue(c.isInsecure("localhost:5000"), "loopback stays insecure as in Docker");
  }

  @Test
  void mistakesNameTheFileAndTheKey() {
    IllegalArgumentException path = assertThrows(IllegalArgumentException.class,
        () -> load("[registry.\"docker.io\"]\nmirrors = [\"mirror.example.com/prefix\"]\n"));
    assertTrue(path.getMessage().contains("jbuild.toml: [registry.\"docker.io\"]: mirror \"mirror.example.com/prefix\""),
        path.getMessage());
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> load("[registry.\"x.io\"]\nhttp = \"yes\"\n"));
    assertTrue(type.getMessage().endsWith("[registry.\"x.io\"]: http must be true or false"), type.getMessage());
    IllegalArgumentException syntax = assertThrows(IllegalArgumentException.class, () -> load("[registry\n"));
    assertTrue(syntax.getMessage().contains("jbuild.toml: not valid TOML"), syntax.getMessage());
  }
}
