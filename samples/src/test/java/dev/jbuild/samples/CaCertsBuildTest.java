package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RealisticBases;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --ca-certs}: HTTPS from a RUN step to the npm registry verifies here only with the CAs
 * the host trusts (as behind a TLS-intercepting proxy). The flag (or the config file's
 * {@code [build] ca-certs}) lends them to every RUN without a mount line, and they reach no layer,
 * cache record or image config.
 */
@ExtendWith(RegistryExtension.class)
class CaCertsBuildTest {
  private static final Path HOST_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");
  private static final String DOCKERFILE = String.join("\n",
      "FROM python:3.11.1-slim",
      "RUN python3 -c \"import urllib.request; print(urllib.request.urlopen('https://registry.npmjs.org/ms').status)\" > /status",
      "RUN env | grep -E '^(SSL_CERT_FILE|CURL_CA_BUNDLE|NODE_EXTRA_CA_CERTS|REQUESTS_CA_BUNDLE|PIP_CERT)=' | sort > /ca-env"
          + " && cmp /etc/ssl/certs/ca-certificates.crt /run/jbuild/ca-certificates.crt && echo lent > /ca-mounted",
      "");
  @TempDir static Path work;
  static RealisticBases.Mirror mirror;
  static Path context;

  @BeforeAll
  static void start(TestRegistry registry) throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
    mirror = SampleRun.mirror(registry);
    context = Files.createDirectories(work.resolve("ctx"));
    Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
  }

  private static Processes.Result build(Path store, String... extra) {
    List<String> args = new ArrayList<>(List.of("build", "--config", mirror.configFile().toString(),
        "--platform", "linux/amd64", "--progress=plain"));
    args.addAll(List.of(extra));
    args.add(context.toString());
    return Cli.jbuild(store, args.toArray(String[]::new));
  }

  @Test
  void withoutTheHostsCasHttpsFromRunFailsVerification() throws Exception {
    Processes.Result r = build(Files.createDirectories(work.resolve("store-none")));
    assertEquals(1, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains("CERTIFICATE_VERIFY_FAILED"), r.stderr());
    Cli.assertNoStackTrace(r);
  }

  @Test
  void theFlagLendsTheHostBundleToEveryRunAndNothingKeepsIt() throws Exception {
    Path store = Files.createDirectories(work.resolve("store-flag"));
    Path out = work.resolve("out-flag");
    Processes.Result r = build(store, "--ca-certs=host", "-o", "type=local,dest=" + out);
    r.assertSuccess();
    assertEquals("200", Files.readString(out.resolve("status")).strip());
    String lent = "/run/jbuild/ca-certificates.crt";
    assertEquals(String.join("\n", "CURL_CA_BUNDLE=" + lent, "NODE_EXTRA_CA_CERTS=" + lent, "PIP_CERT=" + lent,
        "REQUESTS_CA_BUNDLE=" + lent, "SSL_CERT_FILE=" + lent), Files.readString(out.resolve("ca-env")).strip());
    assertEquals("lent", Files.readString(out.resolve("ca-mounted")).strip(), "mounted over the image's bundle");

    assertFalse(Files.exists(out.resolve("run/jbuild")), "the mount point is not in the image");
    assertNotEquals(Files.readString(HOST_BUNDLE), Files.readString(out.resolve("etc/ssl/certs/ca-certificates.crt")),
        "the image keeps its own bundle");
    List<String> markers = extraCaMarkers();
    for (String m : markers) {
      assertFalse(Files.readString(out.resolve("etc/ssl/certs/ca-certificates.crt")).contains(m));
    }
    assertEquals(List.of(), filesContaining(store, markers), "no blob, record or unpacked layer holds the host's CAs");
  }

  @Test
  void theConfigFileCanAskForTheHostBundle() throws Exception {
    Path config = work.resolve("with-ca.toml");
    Files.writeString(config, Files.readString(mirror.configFile()) + "\n[build]\n  ca-certs = \"host\"\n");
    Path out = work.resolve("out-config");
    Processes.Result r = Cli.jbuild(Files.createDirectories(work.resolve("store-config")), "build", "--config",
        config.toString(), "--platform", "linux/amd64", "--progress=plain", "-o", "type=local,dest=" + out,
        context.toString());
    r.assertSuccess();
    assertEquals("200", Files.readString(out.resolve("status")).strip());
  }

  @Test
  void badValuesAreClearErrors() throws Exception {
    Path store = Files.createDirectories(work.resolve("store-bad"));
    Processes.Result missing = build(store, "--ca-certs=/nonexistent/ca.pem");
    assertEquals(1, missing.exitCode());
    assertEquals("ERROR: --ca-certs=/nonexistent/ca.pem: /nonexistent/ca.pem is not a readable file",
        missing.stderr().strip());
    Path notPem = Files.writeString(work.resolve("not-a-cert.txt"), "hello\n");
    Processes.Result garbage = build(store, "--ca-certs=" + notPem);
    assertEquals(1, garbage.exitCode());
    assertEquals("ERROR: --ca-certs=" + notPem + ": " + notPem + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
        garbage.stderr().strip());
    Cli.assertNoStackTrace(garbage);
  }

  /** A line of base64 from each CA the host adds to Debian's bundle (/usr/local/share/ca-certificates). */
  private static List<String> extraCaMarkers() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("/usr/local/share/ca-certificates"))) {
      for (Path crt : s.filter(p -> p.toString().endsWith(".crt")).toList()) {
        List<String> lines = Files.readAllLines(crt).stream().filter(l -> l.length() == 64).toList();
        out.add(lines.get(lines.size() / 2));
      }
    }
    assertFalse(out.isEmpty(), "this host trusts no extra CA: the test needs one in /usr/local/share/ca-certificates");
    return out;
  }

  /** Files under {@code root} (gzip ones decompressed) whose content holds one of the markers. */
  private static List<Path> filesContaining(Path root, List<String> markers) throws IOException {
    List<Path> hits = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      // not following links: an image's absolute link (usr/lib/ssl/cert.pem) points into the host
      for (Path p : s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
        String text;
        try (InputStream in = open(p)) {
          text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        if (markers.stream().anyMatch(text::contains)) {
          hits.add(p);
        }
      }
    }
    return hits;
  }

  private static InputStream open(Path p) throws IOException {
    InputStream in = new java.io.BufferedInputStream(Files.newInputStream(p));
    in.mark(2);
    int a = in.read();
    int b = in.read();
    in.reset();
    return a == 0x1f && b == 0x8b ? new GZIPInputStream(in) : in;
  }
}
