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
    t.add(new Case("unknown instruction", "FROM scratch\nFROBNICATE x\n", "build CTX", 1, "Dockerfile:2:1:"));
    t.add(new Case("empty Dockerfile", "", "build CTX", 1, "Dockerfile"));
    t.add(new Case("no FROM first", "RUN echo\n", "build CTX", 1, "Dockerfile:1:1:"));
    t.add(new Case("FROM without image", "FROM\n", "build CTX", 1, "Dockerfile:1:1:"));
    t.add(new Case("COPY with one argument", SCRATCH + "COPY onlyone\n", "build CTX", 1, "Dockerfile:2:6: COPY requires at least two arguments"));
    t.add(new Case("ENV without value", SCRATCH + "ENV NAME\n", "build CTX", 1, "Dockerfile:2:5: ENV must have two arguments"));
    t.add(new Case("unterminated heredoc", SCRATCH + "RUN <<EOF\necho hi\n", "build CTX", 1, "Dockerfile:2:"));
    t.add(new Case("bad escape directive", "# escape=x\nFROM scratch\n", "build CTX", 1, "Dockerfile:1:"));
    t.add(new Case("EXPOSE bad port", SCRATCH + "EXPOSE notaport\n", "build CTX", 1, "Dockerfile:2:1:"));
    t.add(new Case("COPY --from unknown stage", SCRATCH + "COPY --from=nostage /a /b\n", "build CTX", 1, "Dockerfile:2:1:"));
    t.add(new Case("ARG without a name", "ARG =x\nFROM scratch\n", "build CTX", 1, "Dockerfile:1:"));
    t.add(new Case("FROM --platform bad", "FROM --platform=linux/ scratch\n", "build CTX", 1, "Dockerfile:1:1:"));
    t.add(new Case("RUN --mount bad type", SCRATCH + "RUN --mount=type=bogus,target=/x true\n", "build CTX", 1, "Dockerfile:2:1:"));
    t.add(new Case("RUN --network bad", SCRATCH + "RUN --network=bogus true\n", "build CTX", 1, "Dockerfile:2:5: unsupported network mode \"bogus\""));
    t.add(new Case("unknown flag on COPY", SCRATCH + "COPY --frob=1 a b\n", "build CTX", 1, "Dockerfile:2:6: unknown flag: frob"));
    t.add(new Case("required variable unset", "ARG NEEDED\nFROM scratch\nARG NEEDED\nENV X=${NEEDED:?unset}\n", "build CTX", 1,
        "Dockerfile:4:"));
    t.add(new Case("FROM invalid image reference", "FROM UPPER/Case\n", "build CTX", 1, "Dockerfile:1:1:"));
    t.add(new Case("LABEL without value", SCRATCH + "LABEL onlykey\n", "build CTX", 1, "Dockerfile:2:7: LABEL must have two arguments"));
    t.add(new Case("ADD --checksum malformed", SCRATCH + "ADD --checksum=md5:abc https://example.invalid/x /x\n",
        "build CTX", 1, "Dockerfile:2:1:"));
    t.add(new Case("COPY --chmod malformed", SCRATCH + "COPY --chmod=99z a b\n", "build CTX", 1, "Dockerfile:2:1:"));
    t.add(new Case("ONBUILD FROM", SCRATCH + "ONBUILD FROM scratch\n", "build CTX", 1, "Dockerfile:2:9: FROM isn't allowed as an ONBUILD trigger"));
    t.add(new Case("HEALTHCHECK bad interval", SCRATCH + "HEALTHCHECK --interval=soon CMD true\n", "build CTX", 1,
        "Dockerfile:2:13: invalid duration \"soon\" for --interval"));
    t.add(new Case("missing -f file", null, "build -f DIR/absent.Dockerfile CTX", 1, "absent.Dockerfile"));
    // command-line flags
    t.add(new Case("--platform trailing slash", SCRATCH, "build --platform linux/ CTX", 1, "--platform"));
    t.add(new Case("--platform too many parts", SCRATCH, "build --platform linux/arm/v7/extra CTX", 1, "--platform"));
    t.add(new Case("--platform no os", SCRATCH, "build --platform /amd64 CTX", 1, "--platform"));
    t.add(new Case("--platform with a bad character", SCRATCH, "build --platform linux/amd64! CTX", 1,
        "--platform: invalid platform \"linux/amd64!\": expected os/arch[/variant]"));
    t.add(new Case("--build-arg without a name", SCRATCH, "build --build-arg =v CTX", 1, "--build-arg =v"));
    t.add(new Case("--label without value", SCRATCH, "build --label novalue CTX", 1, "--label novalue"));
    t.add(new Case("--output unknown type", SCRATCH, "build -o type=floppy CTX", 1, "--output type=floppy"));
    t.add(new Case("--output no type", SCRATCH, "build -o dest=x,compression=gzip CTX", 1, "--output"));
    t.add(new Case("--output bad compression", SCRATCH, "build -o type=oci,dest=DIR/o.tar,compression=rar CTX", 1,
        "--output type=oci"));
    t.add(new Case("--output unknown attribute", SCRATCH, "build -o type=oci,dest=DIR/o.tar,shiny=yes CTX", 1, "shiny"));
    t.add(new Case("--progress unknown", SCRATCH, "build --progress=fancy CTX", 1, "--progress=fancy"));
    t.add(new Case("--network unknown", SCRATCH, "build --network=bogus CTX", 1, "--network"));
    t.add(new Case("--allow unknown", SCRATCH, "build --allow=root.please CTX", 1, "--allow"));
    t.add(new Case("--secret without id", SCRATCH, "build --secret src=DIR/x CTX", 1, "--secret"));
    t.add(new Case("--annotation malformed", SCRATCH, "build --annotation novalue CTX", 1, "annotation"));
    t.add(new Case("--provenance bad mode", SCRATCH, "build --provenance=mode=huge CTX", 1, "--provenance=mode=huge"));
    t.add(new Case("--sbom bad value", SCRATCH, "build --sbom=maybe=1 CTX", 1, "--sbom=maybe=1"));
    t.add(new Case("--attest bad type", SCRATCH, "build --attest type=spdx CTX", 1, "--attest type=spdx"));
    t.add(new Case("--sign missing key file", SCRATCH, "build --push -t r.example/a --sign key=DIR/none.key CTX", 1,
        "--sign: " ));
    t.add(new Case("--sign unknown attribute", SCRATCH, "build --push -t r.example/a --sign key=k,colour=red CTX", 1,
        "--sign: unknown attribute \"colour\""));
    t.add(new Case("--sign without key", SCRATCH, "build --push -t r.example/a --sign passphrase-env=X CTX", 1,
        "--sign needs key=PATH"));
    t.add(new Case("unknown flag", SCRATCH, "build --frobnicate CTX", 1, "unknown flag: --frobnicate"));
    t.add(new Case("no context", SCRATCH, "build", 1, "requires exactly 1 argument"));
    t.add(new Case("missing context dir", null, "build DIR/absent", 1, "absent"));
    // image references
    t.add(new Case("tag with uppercase repository", SCRATCH, "build -t UPPER/Case CTX", 1, "UPPER/Case"));
    t.add(new Case("tag with two tags", SCRATCH, "build -t repo:a:b CTX", 1, "repo:a:b"));
    t.add(new Case("tag with bad digest", SCRATCH, "build -t repo@sha256:abc CTX", 1, "repo@sha256:abc"));
    t.add(new Case("empty tag", SCRATCH, "build -t  CTX", 1, "tag"));
    t.add(new Case("verify a bad reference", null, "verify --key DIR/k.pub NOT//valid", 1, "NOT//valid"));
    t.add(new Case("attestations a bad reference", null, "attestations bad::ref", 1, "bad::ref"));
    // config files
    t.add(new Case("--config missing", SCRATCH, "build --config DIR/absent.toml CTX", 1, "absent.toml"));
    t.add(new Case("--config bad TOML", SCRATCH, "build --config DIR/bad.toml CTX", 1, "bad.toml"));
    t.add(new Case("--config mirrors not a list", SCRATCH, "build --config DIR/mirrors.toml CTX", 1, "mirrors"));
    t.add(new Case("--config insecure not a bool", SCRATCH, "build --config DIR/insecure.toml CTX", 1, "insecure"));
    // keys
    t.add(new Case("keygen unknown type", null, "keygen --type rsa --out DIR/k", 1, "--type: unknown key type \"rsa\""));
    t.add(new Case("keygen without --out", null, "keygen", 1, "flag needs an argument: --out"));
    t.add(new Case("verify without --key", null, "verify r.example/a:1", 1, "flag needs an argument: --key"));
    t.add(new Case("verify with a non-key file", null, "verify --key DIR/bad.toml r.example/a:1", 1, "bad.toml"));
    t.add(new Case("attestations --type unknown", null, "attestations --type spdx r.example/a:1", 1, "--type spdx"));
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
      assertTrue(r.err().contains(c.expected()), "expected \"" + c.expected() + "\" in:\n" + all);
      assertFalse(all.contains("\tat ") || all.contains("Exception") || all.contains("internal error"), all);
      try (var s = Files.list(ctx)) {
        assertEquals(c.dockerfile() == null ? 0 : 1, s.count(), "nothing written into the context");
      }
    }));
  }
}
