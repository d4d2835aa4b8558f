package dev.jbuild.cli;

import dev.jbuild.exporters.sign.SignatureCheck;
import dev.jbuild.oci.InvalidDocumentException;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.registry.RegistryException;
import dev.jbuild.signing.KeyFiles;
import dev.jbuild.signing.SigningException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jbuild verify --key PUB REF}: the image's signature (and signed provenance) against a public key. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify a pushed image's signature and signed attestations with a public key.")
final class VerifyCommand implements Callable<Integer> {
  @Option(names = "--key", paramLabel = "PUB", required = true, description = "The public key (jbuild.pub).")
  Path key;

  @Mixin PushedImageArgs pushed = new PushedImageArgs();

  @Override
  public Integer call() {
    try {
      var image = pushed.reference();
      var verifier = KeyFiles.readPublic(key);
      RegistryClient client = pushed.client();
      SignatureCheck.Verified v = SignatureCheck.verify(client, image, verifier);
      System.out.println("Verified " + v.image().repositoryName() + "@" + v.digest() + ": " + v.signatures()
          + " signature" + (v.signatures() == 1 ? "" : "s") + " by " + key
          + (v.predicateTypes().isEmpty() ? "" : "; signed attestations: " + String.join(", ", v.predicateTypes())));
      return 0;
    } catch (UserError | SigningException e) {
      System.err.println("ERROR: verification failed: " + e.getMessage());
      return 1;
    } catch (RegistryException | InvalidDocumentException e) {
      System.err.println("ERROR: verification failed: " + pushed.ref + ": " + e.getMessage());
      return 1;
    }
  }
}
