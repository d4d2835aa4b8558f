package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.oci.Digest;
import dev.jbuild.testkit.BaseImages;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every output type of samples/hello, each checked by an independent reader: the OCI layout
 * directory by skopeo + umoci (compared file by file with {@code type=local}), the rootfs tar
 * against the local tree, the zstd archive by skopeo, the docker archive by skopeo's
 * {@code docker-archive:} transport and umoci.
 */
@ExtendWith(RegistryExtension.class)
class ImageOutputsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path work;
  static Path store;

  @BeforeAll
  static void environment() throws Exception {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
    store = Files.createDirectories(work.resolve("store"));
  }

  private static Processes.Result build(TestRegistry registry, String platforms, String... extra) {
    List<String> args = new ArrayList<>(List.of("build", "--platform", platforms,
        "--build-arg", "BASE_IMAGE=" + registry.busybox(), "--progress=plain"));
    args.addAll(List.of(extra));
    args.add(BaseImages.projectRoot().resolve("samples/hello").toString());
    return Cli.jbuild(store, args.toArray(String[]::new));
  }

  /** path → type, mode, owner, size, link target and content digest, for comparing trees. */
  static Map<String, String> describeTree(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.equals(root)) {
          continue;
        }
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
        String what = Integer.toOctalString((Integer) a.get("mode")) + " " + a.get("uid") + ":" + a.get("gid");
        if (Files.isSymbolicLink(p)) {
          what += " -> " + Files.readSymbolicLink(p);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          what += " " + a.get("size") + " " + Digest.sha256(Files.readAllBytes(p)).shortHex();
        }
        out.put(root.relativize(p).toString(), what);
      }
    }
    return out;
  }

  @Test
  void ociDirectoryLocalTarAndZstdOutputsAgree(TestRegistry registry) throws Exception {
    Path layout = work.resolve("layout");
    Path local = work.resolve("rootfs");
    Path tar = work.resolve("rootfs.tar");
    Path zstd = work.resolve("zstd.tar");
    Processes.Result r = build(registry, "linux/amd64,linux/arm64", "-t", "hello:outputs",
        "-o", "type=oci,dest=" + layout + ",tar=false", "-o", "type=local,dest=" + local, "-o", "type=tar,dest=" + tar,
        "-o", "type=oci,dest=" + zstd + ",compression=zstd,compression-level=5");
    r.assertSuccess();
    Cli.assertNoStackTrace(r);

    // OCI layout directory: skopeo picks the arm64 image, umoci unpacks it, and it is what type=local wrote
    assertTrue(Files.isRegularFile(layout.resolve("oci-layout")));
    Path arm = work.resolve("arm64-layout");
    Processes.run(List.of("skopeo", "copy", "--override-arch", "arm64", "oci:" + layout + ":outputs", "oci:" + arm + ":a"))
        .assertSuccess();
    Path bundle = work.resolve("bundle");
    Processes.run(List.of("umoci", "unpack", "--image", arm + ":a", bundle.toString())).assertSuccess();
    assertEquals("aarch64", Files.readString(local.resolve("linux_arm64/arch")).strip());
    assertEquals(describeTree(bundle.resolve("rootfs")), describeTree(local.resolve("linux_arm64")));
    assertEquals("x86_64", Files.readString(local.resolve("linux_amd64/arch")).strip());

    // the rootfs tar holds the same entries as the local directory (GNU tar reads it)
    TreeSet<String> entries = new TreeSet<>();
    for (String line : Processes.run(List.of("tar", "-tf", tar.toString())).assertSuccess().stdout().split("\n")) {
      entries.add(line.replaceAll("/$", ""));
    }
    TreeSet<String> expected = new TreeSet<>(describeTree(local).keySet());
    assertEquals(expected, entries);

    // zstd: layers carry the zstd media type and skopeo copies (so decompresses and verifies) them
    JsonNode index = JSON.readTree(Processes.run(List.of("skopeo", "inspect", "--raw", "oci-archive:" + zstd)).assertSuccess().stdout());
    String armDigest = index.get("manifests").get(1).get("digest").asText();
    JsonNode manifest = JSON.readTree(Processes.run(List.of("tar", "-xOf", zstd.toString(),
        "blobs/sha256/" + armDigest.substring(7))).assertSuccess().stdout());
    for (JsonNode l : manifest.get("layers")) {
      assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", l.get("mediaType").asText());
    }
    Processes.run(List.of("skopeo", "copy", "--override-arch", "arm64", "oci-archive:" + zstd, "dir:" + work.resolve("zstd-dir")))
        .assertSuccess();
  }

  @Test
  void aDockerArchiveLoadsWithSkopeoAndReportsTheImageId(TestRegistry registry) throws Exception {
    Path tar = work.resolve("docker.tar");
    Path meta = work.resolve("docker-meta.json");
    Path iid = work.resolve("docker-iid");
    Processes.Result r = build(registry, "linux/arm64", "-t", "hello:docker", "-o", "type=docker,dest=" + tar,
        "--metadata-file", meta.toString(), "--iidfile", iid.toString());
    r.assertSuccess();
    JsonNode m = JSON.readTree(Files.readString(meta));
    String configDigest = m.get("containerimage.config.digest").asText();
    assertEquals(configDigest, Files.readString(iid), "the image id, as docker build --iidfile writes it");
    assertEquals("application/vnd.docker.distribution.manifest.v2+json",
        m.get("containerimage.descriptor").get("mediaType").asText());
    assertEquals(configDigest, m.get("containerimage.descriptor").get("annotations").get("config.digest").asText());
    assertEquals("docker.io/library/hello:docker", m.get("image.name").asText());

    JsonNode manifestJson = JSON.readTree(Processes.run(List.of("tar", "-xOf", tar.toString(), "manifest.json"))
        .assertSuccess().stdout());
    assertEquals("hello:docker", manifestJson.get(0).get("RepoTags").get(0).asText());
    JsonNode inspected = JSON.readTree(Processes.run(List.of("skopeo", "inspect", "docker-archive:" + tar))
        .assertSuccess().stdout());
    assertEquals("arm64", inspected.get("Architecture").asText());
    Path oci = work.resolve("from-docker");
    Processes.run(List.of("skopeo", "copy", "docker-archive:" + tar, "oci:" + oci + ":d")).assertSuccess();
    Path bundle = work.resolve("docker-bundle");
    Processes.run(List.of("umoci", "unpack", "--image", oci + ":d", bundle.toString())).assertSuccess();
    assertEquals("aarch64", Files.readString(bundle.resolve("rootfs/arch")).strip());
  }

  @Test
  void aMultiPlatformDockerArchiveIsAClearError(TestRegistry registry) throws Exception {
    Path tar = work.resolve("multi-docker.tar");
    Processes.Result r = build(registry, "linux/amd64,linux/arm64", "-o", "type=docker,dest=" + tar);
    assertEquals(1, r.exitCode(), r.describe("a docker archive of two platforms"));
    Cli.assertNoStackTrace(r);
    assertTrue(r.stderr().contains("ERROR: -o type=docker: a docker archive holds one platform's image"), r.stderr());
    assertTrue(r.stderr().contains("type=oci"), r.stderr());
    assertFalse(Files.exists(tar));
  }

  @Test
  void misusedOutputOptionsNameTheOption(TestRegistry registry) {
    Map<String, String> cases = Map.of(
        "type=oci,dest=x.tar,compression=brotli", "compression=brotli is not supported",
        "type=oci,dest=x.tar,compresion=zstd", "unknown attribute \"compresion\"",
        "type=image,name=a/b,push=true,compression=zstd,oci-mediatypes=false", "needs oci-mediatypes=true",
        "type=registry,name=a/b,compression-level=99", "compression-level=99 is out of range for gzip");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Processes.Result r = build(registry, "linux/amd64", "-o", c.getKey());
      assertEquals(1, r.exitCode(), r.describe(c.getKey()));
      Cli.assertNoStackTrace(r);
      assertTrue(r.stderr().contains(c.getValue()), c.getKey() + ":\n" + r.stderr());
    }
  }
}
