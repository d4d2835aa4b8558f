package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.platform.Platform;
import dev.jbuild.testkit.BusyboxRootfs;
import dev.jbuild.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code uname -m} of a RUN for every supported platform on this host, each over a busybox root
 * of that architecture (Debian's busybox-static): foreign ones through qemu binfmt handlers,
 * linux/386 natively with the 32-bit personality. (Debian bookworm has no riscv64 packages.)
 */
class EmulatedPlatformsTest {
  @TempDir
  Path tmp;

  @BeforeAll
  static void root() {
    Prerequisites.requireRoot();
    Prerequisites.requireProgram("runc", "runc");
    if (!Platform.host().architecture().equals("amd64")) {
      throw new AssertionError("these expectations are for an amd64 host, this is " + Platform.host());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"linux/amd64", "linux/arm64", "linux/arm/v7", "linux/386", "linux/ppc64le", "linux/s390x"})
  void unameReportsThePlatformsMachine(String platformName) throws Exception {
    Platform platform = Platform.parse(platformName);
    Prerequisites.requireEmulation(platform);
    Path lower = BusyboxRootfs.of(platform);
    Path d = Files.createTempDirectory(tmp, "snap");
    try (MountedRoot root = new OverlaySnapshotter().mount(List.of(lower), Files.createDirectory(d.resolve("upper")),
        Files.createDirectory(d.resolve("work")), Files.createDirectory(d.resolve("rootfs")))) {
      Runs r = new Runs();
      ExecResult res = OciRuntimeExecutor.detect(Optional.of("runc")).run(new ExecSpec("uname", root.path(),
          List.of("uname", "-m"), List.of(), "/", 0, 0, List.of(), "h", NetworkMode.HOST, Security.SANDBOX, platform,
          List.of(), r.stdout, r.stderr));
      assertEquals(0, res.exitCode(), r.err());
      assertEquals(BusyboxRootfs.unameMachine(platform) + "\n", r.out());
    }
  }
}
