package dev.jbuild.cli;

import dev.jbuild.exporters.sign.SignatureCheck;
import dev.jbuild.oci.InvalidDocumentException;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.registry.RegistryException;
import dev.jbuild.signing.KeyFiles;
import dev.jbuild.signing.SigningException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jbuild verify --key PUB REF}: the image's signature (and signed provenance) against a public key. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify a pushed image's signature and signed attestations with a public key.")
final class VerifyCommand implements Callable<Integer> {
  @Option(names = "--key", paramLabel = "PUB", required = true, description = "The public key (jbuild.pub).")
  Path key;

  @Parameters(index = "0", paramLabel = "REF", description = "The image (registry/repo:tag or @digest).")
  String ref;

  @Option(names = "--config", paramLabel = "FILE", description = "Registry settings (as for build).")
  Path configFile;

  @Override
  public Integer call() {
    try {
      var image = Outputs.reference(ref, "invalid image reference");
      var verifier = KeyFiles.readPublic(key);
      RegistryClient client = RegistryClient.create(RegistrySettings.load(configFile, Set.of()));
      SignatureCheck.Verified v = SignatureCheck.verify(client, image, verifier);
      System.out.println("Verified " + v.image().repositoryName() + "@" + v.digest() + ": " + v.signatures()
          + " signature" + (v.signatures() == 1 ? "" : "s") + " by " + key
          + (v.predicateTypes().isEmpty() ? "" : "; signed attestations: " + String.join(", ", v.predicateTypes())));
      return 0;
    } catch (UserError | SigningException e) {
      System.err.println("ERROR: verification failed: " + e.getMessage());
      return 1;
    } catch (RegistryException | InvalidDocumentException e) {
      System.err.println("ERROR: verification failed: " + ref + ": " + e.getMessage());
      return 1;
    }
  }
}
