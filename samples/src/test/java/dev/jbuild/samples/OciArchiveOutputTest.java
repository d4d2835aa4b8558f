package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.testkit.BaseImages;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code -o type=oci,dest=FILE.tar} writes a two-platform OCI layout that skopeo and umoci read. */
@ExtendWith(RegistryExtension.class)
class OciArchiveOutputTest {
  @TempDir Path work;

  @BeforeAll
  static void environment() {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
  }

  @Test
  void writesAMultiPlatformOciArchive(TestRegistry registry) throws Exception {
    Path tar = work.resolve("out/hello.tar");
    Processes.Result r = Cli.jbuild(Files.createDirectory(work.resolve("store")), "build",
        "--platform", "linux/arm64,linux/amd64", "--build-arg", "BASE_IMAGE=" + registry.busybox(),
        "-t", "hello:oci", "-o", "type=oci,dest=" + tar, "-q",
        BaseImages.projectRoot().resolve("samples/hello").toString());
    r.assertSuccess();
    String digest = r.stdout().strip();

    JsonNode index = new ObjectMapper().readTree(Processes.run(List.of("skopeo", "inspect", "--raw",
        "oci-archive:" + tar + ":oci")).assertSuccess().stdout());
    // an OCI archive gets buildx's default provenance: the two images, then an attestation manifest each
    List<JsonNode> images = AttestationEntries.imagesThenAttestations(index, 2);
    assertEquals("arm64", images.get(0).get("platform").get("architecture").asText());

    Processes.Result ext = Processes.run(List.of("tar", "-xOf", tar.toString(), "index.json")).assertSuccess();
    JsonNode top = new ObjectMapper().readTree(ext.stdout());
    assertEquals(digest, top.get("manifests").get(0).get("digest").asText());
    assertEquals("docker.io/library/hello:oci",
        top.get("manifests").get(0).get("annotations").get("io.containerd.image.name").asText());

    Path layout = work.resolve("layout");
    Processes.run(List.of("skopeo", "copy", "--override-arch", "arm64", "oci-archive:" + tar + ":oci",
        "oci:" + layout + ":arm64")).assertSuccess();
    Path bundle = work.resolve("bundle");
    Processes.run(List.of("umoci", "unpack", "--image", layout + ":arm64", bundle.toString())).assertSuccess();
    assertEquals("aarch64", Files.readString(bundle.resolve("rootfs/arch")).strip());
    assertTrue(Files.exists(bundle.resolve("rootfs/bin/busybox")));
  }
}
