package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's start-up training ({@code jbuild debug train DIR}) really builds: against the registry
 * it serves itself, a cold build and a rebuild after a change, the second exported as an OCI archive
 * that skopeo and umoci read back with the changed file; as root also a build with RUN steps (through
 * a stand-in runtime) and its cached rebuild, exported too.
 */
class TrainingRunTest {
  @TempDir Path work;

  @BeforeAll
  static void environment() {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
  }

  @Test
  void trainsOnAColdBuildFromItsOwnRegistryAndARebuild() throws Exception {
    Path store = Files.createDirectory(work.resolve("store"));
    Path dir = Files.createDirectory(work.resolve("train"));
    Processes.Result r = Cli.jbuild(store, "debug", "train", dir.toString());
    r.assertSuccess();
    assertEquals("", r.stderr(), "no warnings from the training Dockerfile");

    // an OCI archive gets buildx's default provenance: the image, then its attestation manifest
    JsonNode index = new ObjectMapper().readTree(Processes.run(List.of("skopeo", "inspect", "--raw",
        "oci-archive:" + dir.resolve("out.tar"))).assertSuccess().stdout());
    AttestationEntries.imagesThenAttestations(index, 1);
    Path layout = work.resolve("layout");
    Processes.run(List.of("skopeo", "copy", "oci-archive:" + dir.resolve("out.tar"), "oci:" + layout + ":t")).assertSuccess();
    JsonNode manifest = new ObjectMapper().readTree(Processes.run(List.of("skopeo", "inspect", "--raw",
        "oci:" + layout + ":t")).assertSuccess().stdout());
    assertEquals(1, manifest.get("layers").size(), manifest.toString()); // FROM scratch + one COPY --from
    Path bundle = work.resolve("bundle");
    Processes.run(List.of("umoci", "unpack", "--image", layout + ":t", bundle.toString())).assertSuccess();
    assertEquals("training\n".repeat(8000) + "changed\n", Files.readString(bundle.resolve("rootfs/f")));
    // as root, also a build with RUN steps through a stand-in runtime (no container), and its rebuild
    JsonNode run = new ObjectMapper().readTree(Processes.run(List.of("skopeo", "inspect", "--raw",
        "oci-archive:" + dir.resolve("run.tar"))).assertSuccess().stdout());
    AttestationEntries.imagesThenAttestations(run, 1);
    Path runLayout = work.resolve("run-layout");
    Processes.run(List.of("skopeo", "copy", "oci-archive:" + dir.resolve("run.tar"), "oci:" + runLayout + ":t"))
        .assertSuccess();
    JsonNode runManifest = new ObjectMapper().readTree(Processes.run(List.of("skopeo", "inspect", "--raw",
        "oci:" + runLayout + ":t")).assertSuccess().stdout());
    // the base's layer, WORKDIR, COPY and the two RUNs
    assertEquals(5, runManifest.get("layers").size(), runManifest.toString());
    try (var records = Files.list(store.resolve("records"))) {
      assertTrue(records.count() >= 4, "cold build and rebuild left their cache records");
    }
  }
}
