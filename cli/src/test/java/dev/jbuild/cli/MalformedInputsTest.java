package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table of malformed inputs — Dockerfiles, command-line flags, config files, build-arg names,
 * platform strings, image references, keys — each run through the real CLI entry point: a clear
 * message naming the place or flag, a non-zero exit, never a stack trace, and nothing built.
 * Nothing here needs a registry or a runtime: every case fails before any step would run.
 */
class MalformedInputsTest {
  @TempDir Path dir;

  /**
   * One malformed input.
   *
   * @param dockerfile the Dockerfile to write into the context (null: none)
   * @param args the command line; {@code CTX} is the context, {@code DIR} the temp dir
   * @param expected a fragment of the error the user must see
   */
  record Case(String name, String dockerfile, String args, int exit, String expected) {}

  private static final String SCRATCH = "FROM scratch\n";

  static List<Case> table() {
    List<Case> t = new ArrayList<>();
    // Dockerfiles
    t.add(new Case("unknown instruction", "FROM scratch\nFROBNICATE x\n", "build CTX", 1,
        "Dockerfile:2:1: unknown instruction: FROBNICATE"));
    t.add(new Case("empty Dockerfile", "", "build CTX", 1,
        "Dockerfile:1:1: file with no instructions"));
    t.add(new Case("no FROM first", "RUN echo\n", "build CTX", 1,
        "Dockerfile:1:1: no build stage in current context: RUN must come after a FROM instruction (only ARG may come before the first FROM)"));
    t.add(new Case("FROM without image", "FROM\n", "build CTX", 1,
        "Dockerfile:1:1: FROM requires either one or three arguments: FROM [--platform=<platform>] <image> [AS <name>]"));
    t.add(new Case("COPY with one argument", SCRATCH + "COPY onlyone\n", "build CTX", 1,
        "Dockerfile:2:6: COPY requires at least two arguments, but only one was provided. Destination could not be determined."));
    t.add(new Case("ENV without value", SCRATCH + "ENV NAME\n", "build CTX", 1,
        "Dockerfile:2:5: ENV must have two arguments: ENV NAME=<value> (or the legacy form ENV NAME <value>)"));
    t.add(new Case("unterminated heredoc", SCRATCH + "RUN <<EOF\necho hi\n", "build CTX", 1,
        "Dockerfile:2:5: unterminated heredoc: no line \"EOF\" closes it before the end of the file"));
    t.add(new Case("bad escape directive", "# escape=x\nFROM scratch\n", "build CTX", 1,
        "Dockerfile:1:1: invalid escape token 'x' does not match ` or \\"));
    t.add(new Case("EXPOSE bad port", SCRATCH + "EXPOSE notaport\n", "build CTX", 1,
        "Dockerfile:2:1: invalid port for EXPOSE: notaport"));
    // not a stage, so an image (as Docker reads it): this one is not a valid reference, so no registry is asked
    t.add(new Case("COPY --from neither stage nor image", SCRATCH + "COPY --from=No/Stage /a /b\n", "build CTX", 1,
        "Dockerfile:2:1:"));
    t.add(new Case("ARG without a name", "ARG =x\nFROM scratch\n", "build CTX", 1,
        "Dockerfile:1:5: ARG names can not be blank"));
    t.add(new Case("FROM --platform bad", "FROM --platform=linux/ scratch\n", "build CTX", 1,
        "Dockerfile:1:1: FROM --platform: invalid platform \"linux/\": expected os/arch[/variant]"));
    t.add(new Case("RUN --mount bad type", SCRATCH + "RUN --mount=type=bogus,target=/x true\n", "build CTX", 1,
        "Dockerfile:2:1: RUN --mount=type=bogus,target=/x: unsupported mount type \"bogus\" (expected bind, cache, tmpfs, secret or ssh)"));
    t.add(new Case("RUN --network bad", SCRATCH + "RUN --network=bogus true\n", "build CTX", 1,
        "Dockerfile:2:5: unsupported network mode \"bogus\" (expected default, none or host)"));
    t.add(new Case("unknown flag on COPY", SCRATCH + "COPY --frob=1 a b\n", "build CTX", 1,
        "Dockerfile:2:6: unknown flag: frob (did you mean from?)"));
    t.add(new Case("required variable unset", "ARG NEEDED\nFROM scratch\nARG NEEDED\nENV X=${NEEDED:?unset}\n", "build CTX", 1,
        "Dockerfile:4:1: NEEDED: unset"));
    t.add(new Case("FROM invalid image reference", "FROM UPPER/Case\n", "build CTX", 1,
        "Dockerfile:1:1: invalid image reference \"UPPER/Case\": invalid reference format: \"UPPER/Case\": repository name must be lowercase"));
    t.add(new Case("LABEL without value", SCRATCH + "LABEL onlykey\n", "build CTX", 1,
        "Dockerfile:2:7: LABEL must have two arguments: LABEL onlykey=<value> (or the legacy form LABEL onlykey <value>)"));
    t.add(new Case("ADD --checksum malformed", SCRATCH + "ADD --checksum=md5:abc https://example.invalid/x /x\n",
        "build CTX", 1,
        "Dockerfile:2:1: ADD --checksum=md5:abc: expected sha256:<64 hex digits>"));
    t.add(new Case("COPY --chmod malformed", SCRATCH + "COPY --chmod=99z a b\n", "build CTX", 1,
        "Dockerfile:2:1: COPY --chmod=99z: only octal modes are supported yet"));
    t.add(new Case("ONBUILD FROM", SCRATCH + "ONBUILD FROM scratch\n", "build CTX", 1,
        "Dockerfile:2:9: FROM isn't allowed as an ONBUILD trigger"));
    t.add(new Case("HEALTHCHECK bad interval", SCRATCH + "HEALTHCHECK --interval=soon CMD true\n", "build CTX", 1,
        "Dockerfile:2:13: invalid duration \"soon\" for --interval: not a duration (examples: 30s, 1m30s, 500ms)"));
    t.add(new Case("missing -f file", null, "build -f DIR/absent.Dockerfile CTX", 1,
        "failed to read the Dockerfile: DIR/absent.Dockerfile: no such file"));
    // command-line flags
    t.add(new Case("--platform trailing slash", SCRATCH, "build --platform linux/ CTX", 1,
        "--platform: invalid platform \"linux/\": expected os/arch[/variant]"));
    t.add(new Case("--platform too many parts", SCRATCH, "build --platform linux/arm/v7/extra CTX", 1,
        "--platform: invalid platform \"linux/arm/v7/extra\": expected os/arch[/variant]"));
    t.add(new Case("--platform no os", SCRATCH, "build --platform /amd64 CTX", 1,
        "--platform: invalid platform \"/amd64\": expected os/arch[/variant]"));
    t.add(new Case("--platform with a bad character", SCRATCH, "build --platform linux/amd64! CTX", 1,
        "--platform: invalid platform \"linux/amd64!\": expected os/arch[/variant]"));
    t.add(new Case("--build-arg without a name", SCRATCH, "build --build-arg =v CTX", 1,
        "--build-arg =v: missing the name before '='"));
    t.add(new Case("--label without value", SCRATCH, "build --label novalue CTX", 1,
        "--label novalue: expected KEY=VALUE"));
    t.add(new Case("--output unknown type", SCRATCH, "build -o type=floppy CTX", 1,
        "--output type=floppy is not supported by jbuild yet (supported: registry, image, oci, docker, local, tar)"));
    t.add(new Case("--output no type", SCRATCH, "build -o dest=x,compression=gzip CTX", 1,
        "--output dest=x,compression=gzip has no type= (e.g. type=oci,dest=out.tar)"));
    t.add(new Case("--output bad compression", SCRATCH, "build -o type=oci,dest=DIR/o.tar,compression=rar CTX", 1,
        "--output type=oci: compression=rar is not supported (use gzip, zstd or uncompressed)"));
    t.add(new Case("--output unknown attribute", SCRATCH, "build -o type=oci,dest=DIR/o.tar,shiny=yes CTX", 1,
        "--output type=oci: unknown attribute \"shiny\" (known: dest, name, tar, "));
    t.add(new Case("--progress unknown", SCRATCH, "build --progress=fancy CTX", 1,
        "--progress=fancy: expected auto, plain, tty, quiet or rawjson"));
    t.add(new Case("--network unknown", SCRATCH, "build --network=bogus CTX", 1,
        "--network=bogus: expected default, none or host"));
    t.add(new Case("--allow unknown", SCRATCH, "build --allow=root.please CTX", 1,
        "--allow root.please: unknown entitlement (expected network.host or security.insecure)"));
    t.add(new Case("--secret without id", SCRATCH, "build --secret src=DIR/x CTX", 1,
        "--secret src=DIR/x: id=… is missing"));
    t.add(new Case("--annotation malformed", SCRATCH, "build --annotation novalue CTX", 1,
        "--annotation novalue: expected [TYPE:]KEY=VALUE"));
    t.add(new Case("--provenance bad mode", SCRATCH, "build --provenance=mode=huge CTX", 1,
        "--provenance=mode=huge: expected true, false, mode=min or mode=max"));
    t.add(new Case("--sbom bad value", SCRATCH, "build --sbom=maybe=1 CTX", 1,
        "--sbom=maybe=1: expected true or false"));
    t.add(new Case("--attest bad type", SCRATCH, "build --attest type=spdx CTX", 1,
        "--attest type=spdx: expected type=provenance or type=sbom first"));
    t.add(new Case("--sign missing key file", SCRATCH, "build --push -t r.example/a --sign key=DIR/none.key CTX", 1,
        "--sign: DIR/none.key: no such file"));
    t.add(new Case("--sign unknown attribute", SCRATCH, "build --push -t r.example/a --sign key=k,colour=red CTX", 1,
        "--sign: unknown attribute \"colour\" (known: key, passphrase-env, passphrase-file)"));
    t.add(new Case("--sign without key", SCRATCH, "build --push -t r.example/a --sign passphrase-env=X CTX", 1,
        "--sign needs key=PATH (a private key from jbuild keygen)"));
    t.add(new Case("unknown flag", SCRATCH, "build --frobnicate CTX", 1,
        "unknown flag: --frobnicate"));
    t.add(new Case("no context", SCRATCH, "build", 1,
        "\"jbuild build\" is missing an argument: requires exactly 1 argument"));
    t.add(new Case("missing context dir", null, "build DIR/absent", 1,
        "unable to prepare context: path \"DIR/absent\" not found"));
    // image references
    t.add(new Case("tag with uppercase repository", SCRATCH, "build -t UPPER/Case CTX", 1,
        "invalid tag \"UPPER/Case\": invalid reference format: \"UPPER/Case\": repository name must be lowercase"));
    t.add(new Case("tag with two tags", SCRATCH, "build -t repo:a:b CTX", 1,
        "invalid tag \"repo:a:b\": invalid reference format: \"repo:a:b\": bad path component \"repo:a\""));
    t.add(new Case("tag with bad digest", SCRATCH, "build -t repo@sha256:abc CTX", 1,
        "invalid tag \"repo@sha256:abc\": invalid reference format: \"repo@sha256:abc\": invalid sha256 digest: abc"));
    t.add(new Case("empty tag", SCRATCH, "build -t  CTX", 1,
        "invalid tag \"\": invalid reference format: \"\": empty reference"));
    t.add(new Case("verify a bad reference", null, "verify --key DIR/k.pub NOT//valid", 1,
        "verification failed: invalid image reference \"NOT//valid\": invalid reference format: \"NOT//valid\": empty path component"));
    t.add(new Case("attestations a bad reference", null, "attestations bad::ref", 1,
        "invalid image reference \"bad::ref\": invalid reference format: \"bad::ref\": bad path component \"bad:\""));
    // config files
    t.add(new Case("--config missing", SCRATCH, "build --config DIR/absent.toml CTX", 1,
        "--config DIR/absent.toml: no such file"));
    t.add(new Case("--config bad TOML", SCRATCH, "build --config DIR/bad.toml CTX", 1,
        "DIR/bad.toml: not valid TOML: Newline not permitted here"));
    t.add(new Case("--config mirrors not a list", SCRATCH, "build --config DIR/mirrors.toml CTX", 1,
        "DIR/mirrors.toml: [registry.\"docker.io\"]: mirrors must be a list of hosts, e.g. [\"127.0.0.1:5001\"]"));
    t.add(new Case("--config insecure not a bool", SCRATCH, "build --config DIR/insecure.toml CTX", 1,
        "DIR/insecure.toml: [registry.\"r.example\"]: insecure must be true or false"));
    // keys
    t.add(new Case("keygen unknown type", null, "keygen --type rsa --out DIR/k", 1,
        "--type: unknown key type \"rsa\" (expected ecdsa-p256 or ed25519)"));
    t.add(new Case("keygen without --out", null, "keygen", 1,
        "flag needs an argument: --out"));
    t.add(new Case("verify without --key", null, "verify r.example/a:1", 1,
        "flag needs an argument: --key"));
    t.add(new Case("verify with a non-key file", null, "verify --key DIR/bad.toml r.example/a:1", 1,
        "verification failed: DIR/bad.toml: no PEM block found (expected a public key)"));
    t.add(new Case("attestations --type unknown", null, "attestations --type spdx r.example/a:1", 1,
        "--type spdx: expected provenance or sbom"));
    return t;
  }

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    PrintStream oldErr = System.err;
    PrintStream oldOut = System.out;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      return new Run(Main.run(args), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(oldErr);
      System.setOut(oldOut);
    }
  }

  @TestFactory
  Stream<DynamicTest> eachIsAClearErrorWithoutAStackTrace() throws Exception {
    List<Case> table = table();
    assertTrue(table.size() >= 50, table.size() + " cases");
    Files.writeString(dir.resolve("bad.toml"), "[registry.\"x\"\nmirrors = \n");
    Files.writeString(dir.resolve("mirrors.toml"), "[registry.\"docker.io\"]\nmirrors = \"not-a-list\"\n");
    Files.writeString(dir.resolve("insecure.toml"), "[registry.\"r.example\"]\ninsecure = \"very\"\n");
    return table.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Path ctx = Files.createTempDirectory(dir, "ctx");
      if (c.dockerfile() != null) {
        Files.writeString(ctx.resolve("Dockerfile"), c.dockerfile());
      }
      String[] argv = Arrays.stream(c.args().split(" ", -1))
          .map(a -> a.replace("CTX", ctx.toString()).replace("DIR", dir.toString())).toArray(String[]::new);
      if (c.args().equals("build -t  CTX")) {
        argv = new String[] {"build", "-t", "", ctx.toString()};
      }
      Run r = run(argv);
      String all = r.out() + r.err();
      assertEquals(c.exit(), r.code(), all);
      assertTrue(r.err().startsWith("ERROR: ") || r.err().contains("\nERROR: "), all);
      String expected = "ERROR: " + c.expected().replace("DIR", dir.toString());
      assertTrue(r.err().contains(expected), "expected \"" + expected + "\" in:\n" + all);
      assertFalse(all.contains("\tat ") || all.contains("Exception") || all.contains("internal error"), all);
      try (var s = Files.list(ctx)) {
        assertEquals(c.dockerfile() == null ? 0 : 1, s.count(), "nothing written into the context");
      }
    }));
  }
}
