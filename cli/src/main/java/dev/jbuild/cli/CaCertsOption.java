package dev.jbuild.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.jbuild.solver.CaCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --ca-certs=host|FILE} (or {@code ca-certs} in the {@code [build]} table of jbuild.toml):
 * CA certificates every RUN step trusts without a mount line in the Dockerfile, for hosts behind
 * a TLS-intercepting proxy. The command line wins over the config file.
 */
final class CaCertsOption {
  /** Where distributions keep the merged system bundle, Debian's first. */
  static final List<Path> HOST_BUNDLES = List.of(Path.of("/etc/ssl/certs/ca-certificates.crt"),
      Path.of("/etc/pki/tls/certs/ca-bundle.crt"), Path.of("/etc/ssl/cert.pem"));

  String caCerts;

  /** The option, bound to this object. */
  CommandSpec mixin() {
    return CommandSpecs.mixin(CommandSpecs.option(String.class, () -> caCerts, v -> caCerts = v, "--ca-certs")
        .paramLabel("host|FILE")
        .description("Let every RUN step trust these CA certificates (host: this machine's system bundle; FILE: a"
            + " complete PEM bundle), mounted over the image's bundle and named by SSL_CERT_FILE, NODE_EXTRA_CA_CERTS,"
            + " REQUESTS_CA_BUNDLE, PIP_CERT; never stored in the image or cache (default: ca-certs in the config"
            + " file's [build] table).").build());
  }

  /** The CAs to lend, from the flag or else the config file that registry settings also come from. */
  Optional<CaCertificates> resolve(Optional<Path> configFile) throws UserError {
    if (caCerts != null) {
      return Optional.of(bundle(caCerts, "--ca-certs=" + caCerts));
    }
    if (configFile.isEmpty()) {
      return Optional.empty();
    }
    JsonNode value;
    try {
      value = new TomlMapper().readTree(Files.readAllBytes(configFile.get())).path("build").path("ca-certs");
    } catch (JacksonException e) {
      return Optional.empty(); // the registry settings report the file's syntax error
    } catch (IOException e) {
      throw new UserError("cannot read the config file " + configFile.get() + ": " + e.getMessage(), e);
    }
    if (value.isMissingNode()) {
      return Optional.empty();
    }
    String where = configFile.get() + ": [build] ca-certs";
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new UserError(where + " must be \"host\" or the path of a PEM file");
    }
    return Optional.of(bundle(value.asText(), where + " = \"" + value.asText() + "\""));
  }

  private static CaCertificates bundle(String spec, String where) throws UserError {
    if (spec.equals("host")) {
      return new CaCertificates(HOST_BUNDLES.stream().filter(Files::isReadable).findFirst().orElseThrow(() ->
          new UserError(where + ": this host has no CA bundle at " + HOST_BUNDLES
              + " (on Debian: apt-get install ca-certificates)")));
    }
    Path file = Path.of(spec).toAbsolutePath().normalize();
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new UserError(where + ": " + file + " is not a readable file");
    }
    try {
      if (!Files.readString(file, StandardCharsets.ISO_8859_1).contains("-----BEGIN CERTIFICATE-----")) {
        throw new UserError(where + ": " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
      }
    } catch (IOException e) {
      throw new UserError(where + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    return new CaCertificates(file);
  }

  /** The config file jbuild reads: {@code --config}, {@code $JBUILD_CONFIG}, else the first default that exists. */
  static Optional<Path> configFile(Path flag) {
    if (flag != null) {
      return Optional.of(flag);
    }
    String env = System.getenv("JBUILD_CONFIG");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env));
    }
    return RegistrySettings.defaultLocations().stream().filter(Files::isRegularFile).findFirst();
  }
}
