package dev.jbuild.cli;

import dev.jbuild.signing.KeyFiles;
import dev.jbuild.signing.KeyType;
import dev.jbuild.signing.SigningException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jbuild keygen}: a key pair for {@code build --sign} and {@code verify}. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = "Generate a signing key pair: DIR/jbuild.key (private, PEM, mode 0600) and DIR/jbuild.pub.")
final class KeygenCommand implements Callable<Integer> {
  @Option(names = "--type", paramLabel = "ecdsa-p256|ed25519", defaultValue = "ecdsa-p256",
      description = "Key type (default: ${DEFAULT-VALUE}, as cosign).")
  String type;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write the keys to.")
  Path out;

  @Option(names = "--passphrase-env", paramLabel = "VAR",
      description = "Encrypt the private key with the passphrase in this environment variable"
          + " (default: $" + Passphrases.DEFAULT_ENV + " when set).")
  String passphraseEnv;

  @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Encrypt with the passphrase in this file (first line).")
  Path passphraseFile;

  @Override
  public Integer call() {
    try {
      KeyType t;
      try {
        t = KeyType.parse(type);
      } catch (IllegalArgumentException e) {
        throw new UserError("--type: " + e.getMessage());
      }
      Optional<char[]> passphrase = Passphrases.source(passphraseEnv, passphraseFile, System.getenv()).get();
      if (passphrase.isPresent() && passphrase.get().length == 0) {
        throw new UserError("the passphrase is empty");
      }
      KeyFiles.write(out, KeyFiles.generate(t), passphrase);
      if (passphrase.isEmpty()) {
        System.err.println("WARNING: the private key is not encrypted (set " + Passphrases.DEFAULT_ENV
            + " or use --passphrase-env/--passphrase-file); keep it out of build contexts and images");
      }
      System.out.println(out.resolve(KeyFiles.PRIVATE_FILE));
      System.out.println(out.resolve(KeyFiles.PUBLIC_FILE));
      return 0;
    } catch (UserError | SigningException e) {
      System.err.println("ERROR: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      System.err.println("ERROR: " + Errors.describe(e));
      return 1;
    }
  }
}
