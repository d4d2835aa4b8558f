package dev.jbuild.nativeexec;

import dev.jbuild.platform.Platform;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Builds ExecSpecs for tests and captures their output. */
final class Runs {
  final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  ExecSpec shell(Path rootfs, String script) {
    return spec(rootfs, List.of("/bin/sh", "-c", script), NetworkMode.HOST, List.of());
  }

  ExecSpec spec(Path rootfs, List<String> args, NetworkMode network, List<Mount> mounts) {
    return new ExecSpec("test", rootfs, args, List.of("HOME=/root"), "/", 0, 0, List.of(), "buildhost", network,
        Security.SANDBOX, Platform.host(), mounts, stdout, stderr);
  }

  String out() {
    return stdout.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return stderr.toString(StandardCharsets.UTF_8);
  }
}
