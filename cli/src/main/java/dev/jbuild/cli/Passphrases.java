package dev.jbuild.cli;

import dev.jbuild.signing.KeyFiles;
import dev.jbuild.signing.SigningException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a key's passphrase comes from: an environment variable or a file (first line), never the
 * command line (which other users can read in /proc). Without either, {@code JBUILD_KEY_PASSPHRASE}
 * is used when set.
 */
final class Passphrases {
  static final String DEFAULT_ENV = "JBUILD_KEY_PASSPHRASE";

  private Passphrases() {}

  static KeyFiles.PassphraseSource source(String envVar, Path file, Map<String, String> environment) throws UserError {
    if (envVar != null && file != null) {
      throw new UserError("give the passphrase with passphrase-env or passphrase-file, not both");
    }
    if (file != null) {
      return () -> {
        try {
          String text = Files.readString(file, StandardCharsets.UTF_8);
          int nl = text.indexOf('\n');
          return Optional.of((nl < 0 ? text : text.substring(0, nl)).toCharArray());
        } catch (IOException e) {
          throw new SigningException("cannot read the passphrase file " + file + ": "
              + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getClass().getSimpleName()));
        }
      };
    }
    String var = envVar == null ? DEFAULT_ENV : envVar;
    String value = environment.get(var);
    if (envVar != null && value == null) {
      throw new UserError("passphrase-env=" + envVar + ": the variable is not set");
    }
    return value == null ? KeyFiles.PassphraseSource.NONE : () -> Optional.of(value.toCharArray());
  }
}
