package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rootless mode, run from this (root) test: a real user with subordinate id ranges builds a
 * multi-step, two-platform image. jbuild re-executes itself in a user namespace (newuidmap),
 * mounts kernel overlayfs there and runs runc rootless; the layers must still say root owns
 * what root owns in the image, and the store on the host must belong to the user.
 */
class RootlessBuildTest {
  private static final String SECRET = "rootless-secret-" + System.nanoTime();
  @TempDir static Path work;
  static long uid;
  static String classpath;

  @BeforeAll
  static void user() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireProgram("newuidmap", "uidmap");
    Prerequisites.requireProgram("runuser", "util-linux");
    Prerequisites.requireOneOf("runc", "runc", "crun");
    Prerequisites.requireEmulation(Platform.LINUX_ARM64);
    uid = RootlessUser.ensure();
    RootlessUser.openUpTo(work, work.getRoot());
    classpath = RootlessUser.copyClasspath(work.resolve("classpath"), List.of(junitLauncherJar()));
  }

  private static Path ownedByUser(String name) throws Exception {
    Path p = Files.createDirectories(work.resolve(name));
    Processes.run(List.of("chown", "-R", RootlessUser.NAME + ":", p.toString())).assertSuccess();
    return p;
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"runc", "crun"})
  void aMultiStepTwoPlatformBuildRunsRootlessAndKeepsOwnership(String runtime) throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx-" + runtime));
    BusyboxContexts.withRootfs(ctx, Platform.LINUX_AMD64, "rootfs-amd64");
    BusyboxContexts.withRootfs(ctx, Platform.LINUX_ARM64, "rootfs-arm64");
    Files.writeString(ctx.resolve("Dockerfile"), """
        FROM scratch
        ARG TARGETARCH
        COPY rootfs-${TARGETARCH}/ /
        RUN mkdir -p /data/sub && echo a > /data/a && echo b > /data/sub/b && touch /data/gone \\
            && chown 1000:1000 /data/sub/b && uname -m > /data/machine && id -u > /data/run-as
        RUN rm /data/gone && rm -rf /data/sub && mkdir /data/sub && echo c > /data/sub/c
        RUN --mount=type=cache,target=/cache sh -c 'echo x >> /cache/log && wc -l < /cache/log > /data/cache-count'
        RUN --mount=type=secret,id=s sh -c 'test -s /run/secrets/s && echo present > /data/secret'
        RUN --network=none sh -c 'ip link | grep -c "^[0-9]" > /data/links'
        USER nobody
        RUN id -u > /tmp/nobody
        """);
    Processes.run(List.of("chmod", "-R", "a+rX", ctx.toString())).assertSuccess();
    Path secret = work.resolve("secret.txt");
    Files.writeString(secret, SECRET);
    Processes.run(List.of("chmod", "a+r", secret.toString())).assertSuccess();
    Path store = ownedByUser("store-" + runtime);
    Path out = ownedByUser("out-" + runtime);

    Processes.Result r = RootlessUser.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-cp", classpath, "dev.jbuild.cli.Main", "build", "--progress=plain", "--oci-runtime", runtime,
        "--platform", "linux/amd64,linux/arm64", "--secret", "id=s,src=" + secret,
        "-o", "type=oci,dest=" + out.resolve("image.tar"), ctx.toString()), Map.of("JBUILD_ROOT", store.toString()), 900);
    r.assertSuccess();
    Cli.assertNoStackTrace(r);
    assertTrue(!r.stderr().contains("copying snapshots instead"), "kernel overlayfs works in the user namespace:\n"
        + r.stderr());

    Path layout = Files.createDirectories(work.resolve("layout-" + runtime));
    Processes.run(List.of("tar", "-xf", out.resolve("image.tar").toString(), "-C", layout.toString())).assertSuccess();
    for (String arch : List.of("amd64", "arm64")) {
      List<String> listing = layerListings(layout, arch);
      String all = String.join("\n", listing);
      assertTrue(all.contains("-rw-r--r-- 0/0 data/a"), "root-owned stays root-owned:\n" + all);
      assertTrue(all.contains("-rw-r--r-- 1000/1000 data/sub/b"), all);
      assertTrue(all.contains("---------- 0/0 data/.wh.gone"), "a deletion is a whiteout:\n" + all);
      assertTrue(all.contains("---------- 0/0 data/sub/.wh..wh..opq"), "a replaced directory is opaque:\n" + all);
      assertTrue(all.contains("-rw-r--r-- 65534/65534 tmp/nobody"), all);
      // as BuildKit does, the mount points RUN created stay as empty directories; nothing mounted stays
      assertTrue(listing.contains("drwxr-xr-x 0/0 cache/"), "the cache mount point is left as a directory:\n" + all);
      assertTrue(listing.contains("drwxr-xr-x 0/0 run/secrets/"), "the secrets mount point is left:\n" + all);
      assertTrue(listing.stream().noneMatch(l -> l.contains(" cache/log") || l.contains(" run/secrets/s")),
          "what was mounted stays out of the layers:\n" + all);
    }
    Path rootfs = OciImages.open(singlePlatform(layout, "arm64", Files.createDirectories(work.resolve("single-" + runtime))),
        work).rootfs();
    assertEquals("aarch64", Files.readString(rootfs.resolve("data/machine")).strip(), "emulated RUN, rootless");
    assertEquals("0", Files.readString(rootfs.resolve("data/run-as")).strip());
    assertEquals("present", Files.readString(rootfs.resolve("data/secret")).strip());
    assertEquals("1", Files.readString(rootfs.resolve("data/links")).strip(), "--network=none: loopback only");
    assertEquals("65534", Files.readString(rootfs.resolve("tmp/nobody")).strip());
    int count = Integer.parseInt(Files.readString(rootfs.resolve("data/cache-count")).strip());
    assertTrue(count == 1 || count == 2, "one cache shared by both platforms' steps: " + count);

    // it really ran as the user: the store on the host is the user's, and holds no secret
    assertEquals(uid, ((Number) Files.getAttribute(store.resolve("snapshots"), "unix:uid")).longValue());
    Processes.Result grep = Processes.run(List.of("grep", "-r", "-l", SECRET, store.toString(), out.toString()));
    assertEquals(1, grep.exitCode(), "the secret is in: " + grep.stdout());
  }

  /**
   * The RUN-related end-to-end tests, run again as the non-root user: every build in them goes
   * through rootless mode (mount types, network modes, entitlements, six emulated platforms).
   */
  @Test
  void theRunTestsPassAsANonRootUser() throws Exception {
    Path testkitCache = work.resolve("testkit-cache");
    Path own = Path.of(System.getProperty("user.home"), ".cache/jbuild-testkit");
    Files.createDirectories(testkitCache);
    // the busybox roots built as root, so the user's run needs no downloads of its own
    try (var s = Files.list(own)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.getFileName().toString().startsWith("rootfs-") || p.getFileName().toString().equals("debs")) {
          Processes.run(List.of("cp", "-a", p.toString(), testkitCache.toString())).assertSuccess();
        }
      }
    }
    Processes.run(List.of("chmod", "-R", "a+rX", testkitCache.toString())).assertSuccess();
    Processes.Result r = RootlessUser.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-cp", classpath, RootlessSuite.class.getName(), RunMountsBuildTest.class.getName(),
        RunNetworkAndSecurityBuildTest.class.getName(), EmulatedPlatformsBuildTest.class.getName()),
        Map.of("JBUILD_TESTKIT_CACHE", testkitCache.toString()), 1800);
    assertEquals(0, r.exitCode(), "the RUN tests failed as " + RootlessUser.NAME + ":\n" + r.stdout() + r.stderr());
    java.util.regex.Matcher ok = java.util.regex.Pattern.compile("(\\d+) tests successful").matcher(r.stdout());
    assertTrue(ok.find() && Integer.parseInt(ok.group(1)) >= 9, "all 9 RUN tests ran and passed:\n" + r.stdout());
  }

  /** Surefire's JUnit Platform launcher jar, next to the engine jar in the local repository. */
  private static Path junitLauncherJar() {
    for (String e : System.getProperty("java.class.path").split(":")) {
      if (e.contains("junit-platform-launcher")) {
        return Path.of(e);
      }
    }
    for (String e : System.getProperty("java.class.path").split(":")) {
      if (e.contains("junit-platform-engine")) {
        Path launcher = Path.of(e.replace("junit-platform-engine", "junit-platform-launcher"));
        if (Files.isRegularFile(launcher)) {
          return launcher;
        }
      }
    }
    throw new AssertionError("cannot find junit-platform-launcher next to junit-platform-engine on the test classpath");
  }

  /** "mode uid/gid name" of every entry of every layer of the image for {@code arch}. */
  private static List<String> layerListings(Path layout, String arch) throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    var top = json.readTree(layout.resolve("index.json").toFile());
    var index = json.readTree(blob(layout, top.get("manifests").get(0).get("digest").asText()).toFile());
    List<String> out = new ArrayList<>();
    for (var m : index.get("manifests")) {
      if (!m.get("platform").get("architecture").asText().equals(arch)) {
        continue;
      }
      var manifest = json.readTree(blob(layout, m.get("digest").asText()).toFile());
      for (var l : manifest.get("layers")) {
        String listing = Processes.run(List.of("tar", "-tzvf", blob(layout, l.get("digest").asText()).toString(),
            "--numeric-owner")).assertSuccess().stdout();
        for (String line : listing.split("\n")) {
          String[] f = line.trim().split("\\s+");
          if (f.length >= 6) {
            out.add(f[0] + " " + f[1] + " " + f[f.length - 1]);
          }
        }
      }
    }
    return out;
  }

  /** An OCI archive holding only the {@code arch} image of the layout, for {@link OciImages#open}. */
  private static Path singlePlatform(Path layout, String arch, Path dir) throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    var top = json.readTree(layout.resolve("index.json").toFile());
    var index = json.readTree(blob(layout, top.get("manifests").get(0).get("digest").asText()).toFile());
    for (var m : index.get("manifests")) {
      if (m.get("platform").get("architecture").asText().equals(arch)) {
        Path copy = Files.createDirectories(dir.resolve("single-" + arch));
        Processes.run(List.of("cp", "-a", layout.resolve("blobs").toString(), copy.toString())).assertSuccess();
        Files.writeString(copy.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[" + m + "]}");
        Path tar = dir.resolve("single-" + arch + ".tar");
        Processes.run(List.of("tar", "-cf", tar.toString(), "-C", copy.toString(), ".")).assertSuccess();
        return tar;
      }
    }
    throw new AssertionError("no " + arch + " image in " + layout);
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs/sha256/" + digest.substring("sha256:".length()));
  }
}
