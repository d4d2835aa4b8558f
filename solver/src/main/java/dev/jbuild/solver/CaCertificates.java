package dev.jbuild.solver;

import dev.jbuild.nativeexec.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Extra CA certificates lent to every RUN step ({@code --ca-certs}), as behind a TLS-intercepting
 * proxy: the bundle is mounted read-only over the image's system bundle (when the image has one)
 * and at {@link #RUN_PATH}, and the usual variables point at it. Like a secret it is in no op, cache
 * key, layer or image config: a mount point jbuild creates is never part of a layer.
 *
 * @param bundle a PEM file with the complete set of CAs to trust (e.g. the host's system bundle)
 */
public record CaCertificates(Path bundle) {
  /** Where Debian, Ubuntu and Alpine keep the system bundle. */
  public static final String SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
  /** Always mounted, so the variables work in images without a system bundle. */
  public static final String RUN_PATH = "/run/jbuild/ca-certificates.crt";
  /** OpenSSL, curl, Node.js, Python requests and pip read their extra or replacement CAs from these. */
  public static final List<String> VARIABLES =
      List.of("SSL_CERT_FILE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "PIP_CERT");

  public CaCertificates {
    Objects.requireNonNull(bundle, "bundle");
  }

  /** The mounts for a step over {@code root}: the system bundle only where the image has that file. */
  List<Mount> mounts(Path root) throws IOException {
    byte[] pem = Files.readAllBytes(bundle);
    List<Mount> out = new ArrayList<>();
    out.add(new Mount.File(RUN_PATH, pem, 0, 0, 0644));
    // mounting where the image has no bundle would make a later `apt-get install ca-certificates` fail
    if (Files.isRegularFile(RootPath.resolve(root, SYSTEM_BUNDLE, true))) {
      out.add(new Mount.File(SYSTEM_BUNDLE, pem, 0, 0, 0644));
    }
    return out;
  }

  /** The step's environment plus the variables it does not set itself. */
  List<String> env(List<String> stepEnv) {
    List<String> out = new ArrayList<>(stepEnv);
    for (String v : VARIABLES) {
      if (stepEnv.stream().noneMatch(e -> e.startsWith(v + "="))) {
        out.add(v + "=" + RUN_PATH);
      }
    }
    return out;
  }
}
