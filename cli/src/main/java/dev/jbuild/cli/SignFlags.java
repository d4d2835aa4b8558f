package dev.jbuild.cli;

import dev.jbuild.exporters.Exporter;
import dev.jbuild.exporters.RegistryExporter;
import dev.jbuild.exporters.SigningExporter;
import dev.jbuild.registry.RegistryClient;
import dev.jbuild.signing.KeyFiles;
import dev.jbuild.signing.Signer;
import dev.jbuild.signing.SigningException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --sign key=PATH[,passphrase-env=VAR|passphrase-file=FILE]}: every push is followed by
 * its signature. The key is read (and its passphrase checked) before the build starts.
 */
final class SignFlags {
  String sign;

  /** The option, bound to this object. */
  CommandSpec mixin() {
    return CommandSpecs.mixin(CommandSpecs.option(String.class, () -> sign, v -> sign = v, "--sign")
        .paramLabel("key=PATH[,passphrase-env=VAR|passphrase-file=FILE]")
        .description("Sign pushed images with this private key (cosign layout: sha256-DIGEST.sig, and the"
            + " provenance as a DSSE envelope in sha256-DIGEST.att).").build());
  }

  /** The signer, or empty without --sign. */
  Optional<Signer> signer(Map<String, String> environment) throws UserError {
    if (sign == null) {
      return Optional.empty();
    }
    Map<String, String> attrs;
    try {
      attrs = OutputSpec.parse("type=sign," + sign).attrs();
    } catch (IllegalArgumentException e) {
      throw new UserError("--sign: " + e.getMessage());
    }
    for (String k : attrs.keySet()) {
      if (!List.of("key", "passphrase-env", "passphrase-file").contains(k)) {
        throw new UserError("--sign: unknown attribute \"" + k + "\" (known: key, passphrase-env, passphrase-file)");
      }
    }
    if (!attrs.containsKey("key") || attrs.get("key").isBlank()) {
      throw new UserError("--sign needs key=PATH (a private key from jbuild keygen)");
    }
    String file = attrs.get("passphrase-file");
    try {
      return Optional.of(KeyFiles.readPrivate(Path.of(attrs.get("key")),
          Passphrases.source(attrs.get("passphrase-env"), file == null ? null : Path.of(file), environment)));
    } catch (SigningException e) {
      throw new UserError("--sign: " + e.getMessage());
    }
  }

  /** The exporters with each push wrapped to sign what it pushed. */
  static List<Exporter> signing(List<Exporter> exporters, RegistryClient client, Optional<Signer> signer)
      throws UserError {
    if (signer.isEmpty()) {
      return exporters;
    }
    List<Exporter> out = new ArrayList<>();
    boolean pushes = false;
    for (Exporter e : exporters) {
      if (e instanceof RegistryExporter push) {
        out.add(new SigningExporter(push, client, signer.get()));
        pushes = true;
      } else {
        out.add(e);
      }
    }
    if (!pushes) {
      throw new UserError("--sign signs what is pushed: add --push (or -o type=registry)");
    }
    return out;
  }
}
