package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.signing.SigningException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a key's passphrase comes from: a named variable, a file's first line, or the default variable. */
class PassphrasesTest {
  @TempDir Path dir;

  @Test
  void sources() throws Exception {
    Files.writeString(dir.resolve("pass"), "from file\nsecond line\n");
    assertArrayEquals("from file".toCharArray(), Passphrases.source(null, dir.resolve("pass"), Map.of()).get().orElseThrow());
    assertArrayEquals("v".toCharArray(), Passphrases.source("MINE", null, Map.of("MINE", "v")).get().orElseThrow());
    assertArrayEquals("d".toCharArray(),
        Passphrases.source(null, null, Map.of("JBUILD_KEY_PASSPHRASE", "d")).get().orElseThrow());
    assertTrue(Passphrases.source(null, null, Map.of()).get().isEmpty());
    assertEquals("passphrase-env=MINE: the variable is not set",
        assertThrows(UserError.class, () -> Passphrases.source("MINE", null, Map.of())).getMessage());
    assertEquals("give the passphrase with passphrase-env or passphrase-file, not both",
        assertThrows(UserError.class, () -> Passphrases.source("A", dir.resolve("pass"), Map.of())).getMessage());
    assertEquals("cannot read the passphrase file " + dir.resolve("absent") + ": no such file",
        assertThrows(SigningException.class, () -> Passphrases.source(null, dir.resolve("absent"), Map.of()).get())
            .getMessage());
  }
}
