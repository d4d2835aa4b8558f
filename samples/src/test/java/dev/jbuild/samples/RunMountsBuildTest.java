package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Digest;
import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * RUN --mount of every type through the real CLI: what each mount shows the step, that nothing of
 * a mount reaches the image, that a secret's value is in no output at all, and that cache mounts
 * persist across builds and are safe for concurrent builds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunMountsBuildTest {
  private static final String SECRET = "s3cret-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
  @TempDir static Path work;
  static Path store;
  static Path context;
  /** Stands in for an ssh agent: busybox has no unix-socket client, so the steps only look at the socket. */
  static java.nio.channels.ServerSocketChannel agent;
  static Path agentSocket;

  @BeforeAll
  static void environment() throws Exception {
    RootlessUser.requireRootOrRootless(); // RootlessBuildTest runs this class rootless too
    Prerequisites.requireOneOf("runc", "runc", "crun");
    store = Files.createDirectories(work.resolve("store"));
    context = BusyboxContexts.withRootfs(work.resolve("ctx"), Platform.LINUX_AMD64, "rootfs");
    Files.createDirectories(context.resolve("data"));
    Files.writeString(context.resolve("data/f"), "from the context\n");
    Files.writeString(work.resolve("secret.txt"), SECRET);
    agentSocket = work.resolve("agent.sock");
    agent = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
    agent.bind(java.net.UnixDomainSocketAddress.of(agentSocket));
  }

  @AfterAll
  static void stopAgentAndCleanUp() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (dev.jbuild.nativeexec.RootlessLauncher.needed()) {
      // a rootless store holds files of subordinate ids (the uid=1000 cache): remove it from inside
      dev.jbuild.nativeexec.RootlessLauncher.run(List.of("rm", "-rf", store.toString()), Map.of());
    }
  }

  private static final String DOCKERFILE = """
      FROM scratch AS tools
      COPY rootfs/ /
      RUN mkdir /opt && echo from the stage > /opt/stagefile

      FROM scratch
      COPY rootfs/ /
      RUN --mount=type=bind,source=data,target=/mnt/ctx cat /mnt/ctx/f > /from-context
      RUN --mount=type=bind,from=tools,source=/opt,target=/mnt/stage,rw \\
          sh -c 'cat /mnt/stage/stagefile > /from-stage && echo scribble > /mnt/stage/scribble'
      RUN --mount=type=bind,source=data,target=/mnt/rw,rw sh -c 'echo changed > /mnt/rw/f && cat /mnt/rw/f > /rw-saw'
      RUN --mount=type=cache,id=counter,target=/var/cache/app \\
          sh -c 'echo run >> /var/cache/app/log; wc -l < /var/cache/app/log > /cache-count'
      RUN --mount=type=cache,id=seeded,target=/seed,from=tools,source=/opt,uid=1000,mode=0750 \
          sh -c 'cat /seed/stagefile > /from-seeded-cache; stat -c "%u %a" /seed > /seeded-stat'
      RUN --mount=type=tmpfs,target=/scratch,size=1m sh -c 'echo t > /scratch/t && df -k /scratch | tail -1 | awk "{print \\$2}" > /tmpfs-size'
      RUN --mount=type=secret,id=token,uid=1000,mode=0440 \\
          sh -c 'stat -c "%u %a" /run/secrets/token > /secret-stat; sha256sum /run/secrets/token | cut -c1-64 > /secret-sha'
      RUN --mount=type=secret,id=token,env=TOKEN sh -c 'printf %s "$TOKEN" | sha256sum | cut -c1-64 > /secret-env-sha; ls /run/secrets > /secret-files 2>&1 || true'
      RUN --mount=type=ssh,uid=1000 sh -c 'stat -c "%F %u %a" "$SSH_AUTH_SOCK" > /ssh-stat; echo $SSH_AUTH_SOCK > /ssh-env'
      RUN <<EOF
      #!/bin/sh
      echo "script at $0" > /heredoc
      EOF
      """;

  private static Processes.Result build(String dockerfileText, String name, String... extra) throws IOException {
    return buildIn(context, dockerfileText, name, extra);
  }

  private static Processes.Result buildIn(Path context, String dockerfileText, String name, String... extra)
      throws IOException {
    Path df = work.resolve("Dockerfile." + name);
    Files.writeString(df, dockerfileText);
    List<String> args = new ArrayList<>(List.of("build", "--progress=plain", "-f", df.toString(),
        "--secret", "id=token,src=" + work.resolve("secret.txt"), "--ssh", "default=" + agentSocket,
        "--metadata-file", work.resolve("metadata-" + name + ".json").toString(),
        "-o", "type=oci,dest=" + work.resolve(name + ".tar")));
    args.addAll(List.of(extra));
    args.add(context.toString());
    return Cli.jbuild(store, args.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void everyMountTypeWorksAndLeavesNothingBehind() throws Exception {
    // with attestations, so provenance (mode=max: the Dockerfile and steps) and the SBOM are searched too
    Processes.Result r = build(DOCKERFILE, "first", "--provenance=mode=max", "--sbom");
    r.assertSuccess();
    String archive = new String(Files.readAllBytes(work.resolve("first.tar")), StandardCharsets.ISO_8859_1);
    assertTrue(archive.contains("\"predicateType\":\"https://slsa.dev/provenance/v1\"")
        && archive.contains("\"spdxVersion\":\"SPDX-2.3\""), "the archive holds the provenance and the SBOM");
    Cli.assertNoStackTrace(r);
    Path root = OciImages.open(work.resolve("first.tar"), work).rootfs();
    assertEquals("from the context\n", Files.readString(root.resolve("from-context")));
    assertEquals("from the stage\n", Files.readString(root.resolve("from-stage")));
    assertEquals("changed\n", Files.readString(root.resolve("rw-saw")));
    assertEquals("from the context\n", Files.readString(context.resolve("data/f")), "rw bind changes are discarded");
    assertFalse(Files.exists(context.resolve("data/scribble")));
    assertEquals("1", Files.readString(root.resolve("cache-count")).strip());
    assertEquals("from the stage\n", Files.readString(root.resolve("from-seeded-cache")), "a cache seeded from a stage");
    assertEquals("1000 750", Files.readString(root.resolve("seeded-stat")).strip());
    assertEquals("1024", Files.readString(root.resolve("tmpfs-size")).strip());
    assertEquals("1000 440", Files.readString(root.resolve("secret-stat")).strip());
    String sha = Digest.sha256(SECRET.getBytes(StandardCharsets.UTF_8)).hex();
    assertEquals(sha, Files.readString(root.resolve("secret-sha")).strip(), "the secret file holds the secret");
    assertEquals(sha, Files.readString(root.resolve("secret-env-sha")).strip(), "so does the env variable");
    assertEquals("", Files.readString(root.resolve("secret-files")).strip(), "an env secret is no file");
    assertEquals("socket 1000 600", Files.readString(root.resolve("ssh-stat")).strip());
    assertEquals("/run/buildkit/ssh_agent.0", Files.readString(root.resolve("ssh-env")).strip());
    assertEquals("script at /dev/pipes/EOF", Files.readString(root.resolve("heredoc")).strip());
    // as BuildKit does, the mount points RUN created stay as empty directories; nothing mounted stays
    for (String mountPoint : List.of("mnt/ctx", "mnt/stage", "mnt/rw", "var/cache/app", "scratch", "seed", "run/secrets",
        "run/buildkit")) {
      assertTrue(Files.isDirectory(root.resolve(mountPoint), LinkOption.NOFOLLOW_LINKS), mountPoint + " is left as a directory");
      try (java.util.stream.Stream<Path> in = Files.list(root.resolve(mountPoint))) {
        assertEquals(List.of(), in.toList(), mountPoint + " is left empty");
      }
    }
    assertFalse(Files.exists(root.resolve("dev/pipes"), LinkOption.NOFOLLOW_LINKS), "dev/pipes leaked into the image");
    assertNoSecretIn(r);
  }

  @Test
  @Order(2)
  void aCacheMountKeepsItsContentForTheNextBuild() throws Exception {
    Processes.Result r = build(DOCKERFILE, "second", "--no-cache");
    r.assertSuccess();
    Path root = OciImages.open(work.resolve("second.tar"), work).rootfs();
    assertEquals("2", Files.readString(root.resolve("cache-count")).strip());
    assertNoSecretIn(r);
  }

  /**
   * Two jbuild processes increment a counter in one locked cache, each reading it, sleeping, then
   * writing: without the lock both would read 0 and the total would be 1.
   */
  @Test
  @Order(3)
  void aLockedCacheSerialisesConcurrentBuilds() throws Exception {
    String counter = """
        FROM scratch
        COPY rootfs/ /
        ARG RUN_ID
        RUN --mount=type=cache,id=shared-counter,target=/c,sharing=locked \\
            sh -c 'n=$(cat /c/n 2>/dev/null || echo 0); sleep 1; echo $((n + 1)) > /c/n; echo $RUN_ID'
        """;
    List<CompletableFuture<Processes.Result>> builds = new ArrayList<>();
    for (String id : List.of("a", "b")) {
      builds.add(CompletableFuture.supplyAsync(() -> {
        try {
          return build(counter, "locked-" + id, "--build-arg", "RUN_ID=" + id);
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      }));
    }
    for (CompletableFuture<Processes.Result> b : builds) {
      b.get().assertSuccess();
    }
    Processes.Result read = build("""
        FROM scratch
        COPY rootfs/ /
        RUN --mount=type=cache,id=shared-counter,target=/c,sharing=locked cp /c/n /n
        """, "locked-read", "--no-cache");
    read.assertSuccess();
    assertEquals("2", Files.readString(OciImages.open(work.resolve("locked-read.tar"), work).rootfs().resolve("n")).strip());
  }

  @Test
  @Order(4)
  void aMissingRequiredSecretIsAClearError() throws Exception {
    Processes.Result r = build("""
        FROM scratch
        COPY rootfs/ /
        RUN --mount=type=secret,id=absent,required=true true
        """, "missing");
    assertEquals(1, r.exitCode());
    Cli.assertNoStackTrace(r);
    assertTrue(r.stderr().contains("secret \"absent\" was not given: pass it with --secret id=absent,src=FILE"),
        r.stderr());
  }

  @Test
  @Order(5)
  void aContextBindMountHonoursDockerignore() throws Exception {
    Path ctx = BusyboxContexts.withRootfs(work.resolve("ctx-ignore"), Platform.LINUX_AMD64, "rootfs");
    Files.createDirectories(ctx.resolve("data"));
    Files.writeString(ctx.resolve("data/kept"), "kept");
    Files.writeString(ctx.resolve("data/ignored.log"), "ignored");
    Files.writeString(ctx.resolve(".dockerignore"), "data/*.log\n");
    Processes.Result r = buildIn(ctx, """
        FROM scratch
        COPY rootfs/ /
        RUN --mount=type=bind,source=data,target=/d ls /d > /listing
        """, "ignore");
    r.assertSuccess();
    assertEquals("kept", Files.readString(OciImages.open(work.resolve("ignore.tar"), work).rootfs().resolve("listing")).strip());
  }

  /**
   * The value (and its base64 forms) must be in no layer, record, snapshot, config, history,
   * metadata or progress output.
   */
  private static void assertNoSecretIn(Processes.Result r) throws IOException {
    LeakScanner scanner = new LeakScanner().secret("the secret", SECRET);
    List<LeakScanner.Hit> hits = new ArrayList<>(scanner.scanText("stdout", r.stdout()));
    hits.addAll(scanner.scanText("stderr", r.stderr()));
    for (Path dir : List.of(store, work)) {
      hits.addAll(scanner.scanTree(dir, java.util.Set.of(work.resolve("secret.txt"))));
    }
    assertEquals(List.of(), hits.stream().map(LeakScanner.Hit::toString).toList(), "the secret in outputs");
  }
}
