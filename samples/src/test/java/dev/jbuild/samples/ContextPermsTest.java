package dev.jbuild.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jbuild.testkit.Prerequisites;
import dev.jbuild.testkit.Processes;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * --context-perms=git: a checkout made under umask 002 (group-writable files) and one made under
 * 022 give the same COPY layer and share cache hits; without it the keys differ, as in Docker.
 */
@ExtendWith(RegistryExtension.class)
class ContextPermsTest {
  private static final Map<String, String> EPOCH = Map.of("SOURCE_DATE_EPOCH", "1700000000");
  @TempDir static Path work;

  @BeforeAll
  static void environment() {
    Prerequisites.requireRoot();
    Prerequisites.requireBuildEnvironment();
  }

  /** A checkout as git makes it under {@code umask}: files 0644/0755 (022) or 0664/0775 (002). */
  private static Path checkout(String name, boolean groupWritable) throws Exception {
    Path dir = Files.createDirectories(work.resolve(name));
    Files.writeString(dir.resolve("Dockerfile"), "ARG BASE\nFROM $BASE\nCOPY . /app/\nRUN stat -c '%a %u %n' /app/* /app/sub/* > /listing\n");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/data.txt"), "data\n");
    Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\necho hi\n");
    String file = groupWritable ? "rw-rw-r--" : "rw-r--r--";
    String exec = groupWritable ? "rwxrwxr-x" : "rwxr-xr-x";
    for (Path p : List.of(dir.resolve("Dockerfile"), dir.resolve("sub/data.txt"))) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(file));
    }
    Files.setPosixFilePermissions(dir.resolve("run.sh"), PosixFilePermissions.fromString(exec));
    Files.setPosixFilePermissions(dir.resolve("sub"), PosixFilePermissions.fromString(exec));
    return dir;
  }

  private static Processes.Result build(TestRegistry registry, Path store, Path ctx, String iid, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("build", "--platform", "linux/amd64", "--progress=plain",
        "--build-arg", "BASE=" + registry.busybox(), "--iidfile", iid));
    args.addAll(List.of(extra));
    args.add(ctx.toString());
    Processes.Result r = Cli.jbuild(store, EPOCH, args.toArray(String[]::new));
    r.assertSuccess();
    return r;
  }

  @Test
  void gitModesShareHitsAcrossUmasks(TestRegistry registry) throws Exception {
    Path laptop = checkout("laptop", true);
    Path ci = checkout("ci", false);
    Path store = Files.createDirectories(work.resolve("store"));
    Path out = work.resolve("out");
    build(registry, store, laptop, work.resolve("iid-laptop").toString(), "--context-perms=git", "-o", "type=local,dest=" + out);
    Processes.Result second = build(registry, store, ci, work.resolve("iid-ci").toString(), "--context-perms=git");
    Map<String, String> outcomes = PlainProgress.outcomes(second.stderr());
    assertEquals("CACHED", outcomes.get(outcomes.keySet().stream().filter(k -> k.endsWith("COPY . /app/")).findFirst().orElseThrow()),
        second.stderr());
    assertEquals("CACHED", outcomes.get(outcomes.keySet().stream().filter(k -> k.contains("RUN stat")).findFirst().orElseThrow()));
    assertEquals(Files.readString(work.resolve("iid-laptop")), Files.readString(work.resolve("iid-ci")));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("app/sub/data.txt"))));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("app/run.sh"))));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("app/sub"))));

    // the default keeps the host's bits, as Docker does: the group-writable checkout is another image
    Path other = Files.createDirectories(work.resolve("store-default"));
    build(registry, other, laptop, work.resolve("iid-laptop-default").toString());
    Processes.Result ciDefault = build(registry, other, ci, work.resolve("iid-ci-default").toString());
    Map<String, String> o = PlainProgress.outcomes(ciDefault.stderr());
    assertEquals("DONE", o.get(o.keySet().stream().filter(k -> k.endsWith("COPY . /app/")).findFirst().orElseThrow()));
    assertNotEquals(Files.readString(work.resolve("iid-laptop-default")), Files.readString(work.resolve("iid-ci-default")));
    assertEquals(Files.readString(work.resolve("iid-ci")), Files.readString(work.resolve("iid-ci-default")),
        "git modes are the modes of a checkout under umask 022");
  }
}
