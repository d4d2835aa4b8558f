package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code build}'s spec is written in code (CommandSpecs): every flag must land in its own field,
 * repeated flags must collect, and an absent flag must leave the field as initialised (or at its
 * default value). A flag bound to the wrong field would only show here.
 */
class BuildCommandBindingTest {
  private static BuildCommand parse(String... args) {
    return ParsedCommands.build(args);
  }

  @Test
  void everyFlagSetsItsOwnField() {
    BuildCommand b = parse("-f", "F", "-t", "a:1", "--tag", "b:2", "--platform", "linux/amd64,linux/arm64",
        "--platform", "linux/riscv64", "--build-arg", "A=1", "--label", "l=1", "--target", "T", "--push",
        "-o", "type=oci,dest=o.tar", "--annotation", "k=v", "--pull", "--config", "C.toml", "--progress", "plain",
        "--check", "--no-cache", "--max-parallelism", "3", "-q", "--iidfile", "I", "--metadata-file", "M",
        "--oci-runtime", "crun", "--debug", "--network", "none", "--allow", "network.host,security.insecure",
        "--secret", "id=s,src=f", "--ssh", "default", "--cache-from", "cf", "--cache-to", "ct", "--explain-misses",
        "--context-perms", "git", "--build-context", "n=/tmp", "--no-cache-filter", "s1,s2", "--add-host", "h:1.2.3.4",
        "--shm-size", "1m", "--ulimit", "nofile=1:2", "--load", "--provenance", "mode=max", "--sbom", "true",
        "--attest", "type=sbom", "--sign", "key=k.pem", "--ca-certs", "host", "CTX");
    assertEquals("CTX", b.context);
    assertEquals(Path.of("F"), b.file);
    assertEquals(List.of("a:1", "b:2"), b.tags);
    assertEquals(List.of("linux/amd64", "linux/arm64", "linux/riscv64"), b.platforms);
    assertEquals(List.of("A=1"), b.buildArgs);
    assertEquals(List.of("l=1"), b.labels);
    assertEquals("T", b.target);
    assertTrue(b.push);
    assertEquals(List.of("type=oci,dest=o.tar"), b.outputs);
    assertEquals(List.of("k=v"), b.annotations);
    assertTrue(b.pull);
    assertEquals(Path.of("C.toml"), b.configFile);
    assertEquals("plain", b.progressMode);
    assertTrue(b.check);
    assertTrue(b.noCache);
    assertEquals(3, b.solveFlags.maxParallelism);
    assertTrue(b.quiet);
    assertEquals(Path.of("I"), b.iidFile);
    assertEquals(Path.of("M"), b.metadataFile);
    assertEquals("crun", b.ociRuntime);
    assertTrue(b.debug);
    assertEquals("none", b.network);
    assertEquals(List.of("network.host", "security.insecure"), b.allow);
    assertEquals(List.of("id=s,src=f"), b.secrets);
    assertEquals(List.of("default"), b.ssh);
    assertEquals(List.of("cf"), b.buildx.cache.cacheFrom);
    assertEquals(List.of("ct"), b.buildx.cache.cacheTo);
    assertTrue(b.buildx.cache.explainMisses);
    assertEquals("git", b.buildx.cache.contextPerms);
    assertEquals(List.of("n=/tmp"), b.buildx.frontend.buildContexts);
    assertEquals(List.of("s1", "s2"), b.buildx.frontend.noCacheFilter);
    assertEquals(List.of("h:1.2.3.4"), b.buildx.runLimits.addHosts);
    assertEquals("1m", b.buildx.runLimits.shmSize);
    assertEquals(List.of("nofile=1:2"), b.buildx.runLimits.ulimits);
    assertTrue(b.buildx.load);
    assertEquals("mode=max", b.attestationFlags.provenance);
    assertEquals("true", b.attestationFlags.sbom);
    assertEquals(List.of("type=sbom"), b.attestationFlags.attest);
    assertEquals("key=k.pem", b.signFlags.sign);
    assertEquals("host", b.caCerts.caCerts);
  }

  @Test
  void absentFlagsKeepTheirInitialValuesAndDefaults() {
    BuildCommand b = parse(".");
    assertEquals(".", b.context);
    assertNull(b.file);
    assertEquals(List.of(), b.tags);
    assertEquals(List.of(), b.platforms);
    assertEquals(List.of(), b.outputs);
    assertFalse(b.push);
    assertFalse(b.quiet);
    assertEquals("auto", b.progressMode);
    assertEquals("default", b.network);
    assertNull(b.solveFlags.maxParallelism);
    assertEquals(List.of(), b.buildx.cache.cacheFrom);
    assertFalse(b.buildx.load);
    assertNull(b.attestationFlags.provenance);
    assertEquals(List.of(), b.attestationFlags.attest);
    assertNull(b.signFlags.sign);
    assertNull(b.caCerts.caCerts);
  }

  @Test
  void optionalValueFlagsTakeTheirFallbackAlone() {
    BuildCommand b = parse("--provenance", "--sbom", ".");
    assertEquals("mode=min", b.attestationFlags.provenance);
    assertEquals("true", b.attestationFlags.sbom);
    assertEquals(".", b.context);
  }

  @Test
  void helpAndVersionAreTheStandardOptions() {
    CommandLine cli = new CommandLine(new BuildCommand().bind());
    cli.parseArgs("-h");
    assertTrue(cli.isUsageHelpRequested());
    cli.parseArgs("--version");
    assertTrue(cli.isVersionHelpRequested());
    assertTrue(cli.getCommandSpec().mixinStandardHelpOptions());
  }
}
