package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jbuild.cli.MainRuns.Run;
import dev.jbuild.nativeexec.HostLimits;
import dev.jbuild.nativeexec.RunLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The buildx flags beyond the first set: parsed values, buildx's errors for misuse, exit 1, no stack trace. */
class BuildxFlagsTest {
  @TempDir Path context;

  private Run run(String stdin, String... args) {
    return MainRuns.runWithStdin(stdin, args);
  }

  /** The first line of stderr of a failing build with these arguments (CTX is the context directory). */
  private String firstError(String args) throws Exception {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
    String[] argv = args.replace("CTX", context.toString()).split(" ");
    Run r = run("", argv);
    assertEquals(1, r.code(), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    return r.err().lines().findFirst().orElse("");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "build --frobnicate CTX | ERROR: unknown flag: --frobnicate",
      "build -Z CTX | ERROR: unknown shorthand flag: -Z",
      "build --frob=1 CTX | ERROR: unknown flag: --frob",
      "build CTX extra | ERROR: \"jbuild build\" got an unexpected argument \"extra\": requires exactly 1 argument",
      "build | ERROR: \"jbuild build\" is missing an argument: requires exactly 1 argument",
      "build CTX --tag | ERROR: flag needs an argument: --tag",
      "build -f - - | ERROR: invalid argument: can't use stdin for both build context and dockerfile",
      "build --load --push -t a CTX | ERROR: push and load may not be set together at the moment",
      "build --load -o type=oci,dest=x.tar CTX | ERROR: --load and --output may not be set together (use --output type=docker,dest=FILE.tar and docker load, or --load alone)",
      "build --no-cache --no-cache-filter base CTX | ERROR: --no-cache and --no-cache-filter cannot currently be used together",
      "build --max-parallelism 0 CTX | ERROR: --max-parallelism 0: must be at least 1",
      "build --cache-from type=nfs,src=x CTX | ERROR: --cache-from type=nfs,src=x: unknown cache type \"nfs\" (known: registry, local, inline, gha, s3, azblob)",
      "build --cache-from type=registry CTX | ERROR: --cache-from type=registry: type=registry needs ref=NAME",
      "build --cache-to type=local CTX | ERROR: --cache-to type=local: type=local needs dest=DIR",
      "build --cache-to type=inline,mode=all CTX | ERROR: --cache-to type=inline,mode=all: mode=all must be min or max",
      "build --cache-from Bad:Ref:x CTX | ERROR: --cache-from: invalid reference \"Bad:Ref:x\": ",
      "build --build-context base CTX | ERROR: --build-context base: invalid context value, expected NAME=VALUE",
      "build --build-context a=/nonexistent/dir CTX | ERROR: --build-context a=/nonexistent/dir: \"/nonexistent/dir\" is not a directory",
      "build --add-host db CTX | ERROR: --add-host db: invalid argument, expected HOST:IP",
      "build --add-host db:1.2.3.999 CTX | ERROR: --add-host db:1.2.3.999: invalid IP address \"1.2.3.999\"",
      "build --shm-size lots CTX | ERROR: --shm-size lots: invalid size (e.g. 64m, 1g, 1048576)",
      "build --ulimit nofile=2048:1024 CTX | ERROR: --ulimit nofile=2048:1024: the soft limit must not exceed the hard limit",
      "build --ulimit files=1 CTX | ERROR: --ulimit files=1: invalid ulimit (expected NAME=SOFT[:HARD] with NAME one of core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack)",
      "build --cache-to type=gha CTX | ERROR: --cache-to type=gha: type=gha is not supported by jbuild (supported: local, registry, inline)",
      "build --ulimit nofile=1024:2147483647 CTX | ERROR: --ulimit nofile=1024:2147483647: the hard limit 2147483647 for nofile exceeds this host's hard limit ",
      "build --build-context base=target:stage CTX | ERROR: --build-context base=target:stage: target: contexts are not supported by jbuild yet",
      "build --build-context src=https://example.com/ctx.git CTX | ERROR: --build-context src=https://example.com/ctx.git: this context source is not supported by jbuild yet",
      "build https://127.0.0.1:1/ctx.tar | ERROR: unable to prepare context: cannot download https://127.0.0.1:1/ctx.tar: ",
      // flags are checked before the context is fetched
      "build --cache-to type=gha https://127.0.0.1:1/ctx.tar | ERROR: --cache-to type=gha: type=gha is not supported by jbuild (supported: local, registry, inline)",
      "build --ulimit files=1 https://127.0.0.1:1/ctx.tar | ERROR: --ulimit files=1: invalid ulimit",
  })
  void misuseIsExplainedAsBuildxDoes(String args, String expectedStart) throws Exception {
    String first = firstError(args);
    assertEquals(expectedStart, first.substring(0, Math.min(first.length(), expectedStart.length())), first);
  }

  @Test
  void valuesAreParsedAsDockerReadsThem() throws Exception {
    BuildxFlags flags = new BuildxFlags();
    new CommandLine(flags.mixin()).parseArgs("--shm-size", "1.5g", "--ulimit", "nofile=1024:2048", "--ulimit", "nproc=512",
        "--add-host", "db:10.0.0.2", "--add-host", "gw=host-gateway", "--add-host", "v6:[::1]",
        "--cache-from", "127.0.0.1:5000/app:cache", "--cache-from", "type=local,src=/tmp/c",
        "--cache-to", "type=registry,ref=127.0.0.1:5000/app:cache,mode=max",
        "--build-context", "base=docker-image://127.0.0.1:5000/busybox:1.35", "--build-context", "src=" + context,
        "--no-cache-filter", "a,b", "--no-cache-filter", "c", "--load");
    assertEquals(1610612736L, flags.runLimits.shmBytes());
    assertEquals(List.of(new RunLimitFlags.Ulimit("nofile", 1024, 2048), new RunLimitFlags.Ulimit("nproc", 512, 512)),
        flags.runLimits.limits());
    assertEquals(List.of(new RunLimits.HostEntry("db", "10.0.0.2"), new RunLimits.HostEntry("gw", "host-gateway"),
        new RunLimits.HostEntry("v6", "[::1]")), flags.runLimits.extraHosts());
    assertEquals(List.of(new CacheFlags.CacheSpec("registry", Map.of("ref", "127.0.0.1:5000/app:cache")),
        new CacheFlags.CacheSpec("local", Map.of("src", "/tmp/c"))), flags.cache.imports());
    assertEquals(List.of(new CacheFlags.CacheSpec("registry", Map.of("ref", "127.0.0.1:5000/app:cache", "mode", "max"))),
        flags.cache.exports());
    assertEquals(Map.of("base", "docker-image://127.0.0.1:5000/busybox:1.35", "src", context.toString()),
        flags.frontend.namedContexts());
    assertEquals(List.of("a", "b", "c"), flags.frontend.noCacheStages(false));
    assertEquals(true, flags.load);
    assertEquals(64L * 1024 * 1024, shm("64m"));
    assertEquals(1048576L, shm("1048576"));
    assertEquals(2048L, shm("2kb"));
  }

  @Test
  void runLimitsAreWhatEveryRunStepGets() throws Exception {
    RunLimitFlags flags = new RunLimitFlags();
    new CommandLine(flags.mixin()).parseArgs("--shm-size", "128m", "--ulimit", "nofile=1024:2048", "--ulimit", "core=0",
        "--add-host", "db:10.0.0.2", "--add-host", "gw=host-gateway", "--add-host", "v6:[::1]", "--add-host", "db:fd00::2");
    HostLimits host = new HostLimits(Map.of("nofile", 20000L, "core", Long.MAX_VALUE));
    assertEquals(new RunLimits(List.of(new RunLimits.HostEntry("db", "10.0.0.2"),
        new RunLimits.HostEntry("gw", "127.0.0.1"), new RunLimits.HostEntry("v6", "::1"),
        new RunLimits.HostEntry("db", "fd00::2")), 134217728L,
        List.of(new RunLimits.Rlimit("nofile", 1024, 2048), new RunLimits.Rlimit("core", 0, 0))),
        flags.runLimits(host));
    assertEquals(RunLimits.NONE, new RunLimitFlags().runLimits(host));

    RunLimitFlags tooMany = new RunLimitFlags();
    new CommandLine(tooMany.mixin()).parseArgs("--ulimit", "core=0", "--ulimit", "nofile=30000");
    UserError e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class, () -> tooMany.runLimits(host));
    assertEquals("--ulimit nofile=30000: the hard limit 30000 for nofile exceeds this host's hard limit 20000"
        + " (a build cannot raise it; ask for at most 20000)", e.getMessage());
  }

  @Test
  void maxParallelismIsWhatTheSolverGets() throws Exception {
    SolveFlags flags = new SolveFlags();
    new CommandLine(flags.mixin()).parseArgs("--max-parallelism", "3");
    assertEquals(3, flags.options(false).maxParallelProcesses());
    assertEquals(dev.jbuild.solver.SolveOptions.defaults().maxParallelProcesses(),
        new SolveFlags().options(false).maxParallelProcesses());
  }

  private static long shm(String v) throws UserError {
    RunLimitFlags f = new RunLimitFlags();
    f.shmSize = v;
    return f.shmBytes();
  }
}
