package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** COPY --chown with names resolved in the image's /etc/passwd, and WORKDIR owned by the USER. */
@ExtendWith(RegistryExtension.class)
class OwnershipTest {
  @TempDir Path work;

  @BeforeAll
  static void environment() {
    Prerequisites.requireRoot();
  }

  private static int uid(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  private static int gid(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void namesAreResolvedInTheImage(TestRegistry registry) throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx"));
    Files.writeString(ctx.resolve("f"), "data");
    Files.writeString(ctx.resolve("Dockerfile"), String.join("\n",
        "FROM " + registry.busybox(),
        "COPY --chown=nobody:nogroup f /data/f",
        "COPY --chown=1234 f /data/g",
        "USER nobody",
        "WORKDIR /home/nobody/work",
        ""));
    Path out = work.resolve("img.tar");
    Cli.jbuild(Files.createDirectories(work.resolve("store")), "build", "--progress=plain", "-o", "type=oci,dest=" + out,
        ctx.toString()).assertSuccess();
    Path root = OciImages.open(out, work).rootfs();
    assertEquals(65534, uid(root.resolve("data/f")));
    assertEquals(65534, gid(root.resolve("data/f")));
    assertEquals(1234, uid(root.resolve("data/g")));
    assertEquals(1234, gid(root.resolve("data/g")), "a numeric --chown without a group gets gid = uid, as in BuildKit");
    assertEquals(65534, uid(root.resolve("home/nobody/work")));
  }

  @Test
  void anUnknownUserIsAClearError(TestRegistry registry) throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx2"));
    Files.writeString(ctx.resolve("f"), "data");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + registry.busybox() + "\nCOPY --chown=nosuchuser f /f\n");
    Processes.Result r = Cli.jbuild(Files.createDirectories(work.resolve("store2")), "build", "--progress=plain",
        ctx.toString());
    assertEquals(1, r.exitCode(), r.stderr());
    Cli.assertNoStackTrace(r);
    assertTrue(r.stderr().contains("Dockerfile:2:1: COPY --chown=nosuchuser f /f: unable to find user nosuchuser"), r.stderr());
  }
}
